import type { RegionLevel } from '@gridgov/contracts/regions';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { regionKeys, regionsApi } from '../api';

/** The deployment's names for each level (街道 or 乡镇 …), with a fallback while loading. */
export function useRegionLevels() {
  const { locale } = useI18n();
  const q = useQuery({ queryKey: regionKeys.levels, queryFn: regionsApi.levels, staleTime: 5 * 60_000 });
  const levelName = (level: RegionLevel) => {
    const info = q.data?.find((l) => l.key === level);
    return info ? (locale === 'en' ? info.nameEn : info.nameZh) : level;
  };
  return { levels: q.data ?? [], levelName };
}
