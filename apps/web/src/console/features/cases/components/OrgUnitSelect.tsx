import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { regionKeys, regionsApi } from '../../regions/api';

type Props = { id?: string; placeholder?: string; exclude?: string[]; style?: React.CSSProperties; allowClear?: boolean } & (
  | { multiple?: false; value?: string; onChange?: (v: string | undefined) => void }
  | { multiple: true; value?: string[]; onChange?: (v: string[]) => void }
);

/**
 * A unit a case may be dispatched to: the departments the caller sees (its own region's and those
 * serving it from above), then the centers and stations (a street or community may handle it itself).
 */
export function OrgUnitSelect(props: Props) {
  const { t } = useI18n();
  const units = useQuery({ queryKey: regionKeys.orgUnits('dispatch-targets'), queryFn: () => regionsApi.orgUnits({}), staleTime: 5 * 60_000 });
  const list = (units.data ?? []).filter((u) => !props.exclude?.includes(u.id));
  const byKind = (k: string) => list.filter((u) => u.kind === k).map((u) => ({ value: u.id, label: u.name }));
  const options = [
    { label: t('case.unit.department'), options: byKind('department') },
    { label: t('case.unit.center'), options: [...byKind('center'), ...byKind('station')] },
  ].filter((g) => g.options.length > 0);
  return (
    <Select
      id={props.id}
      mode={props.multiple ? 'multiple' : undefined}
      allowClear={props.allowClear ?? true}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={props.placeholder}
      loading={units.isLoading}
      options={options}
      value={props.value as never}
      onChange={(v) => (props.onChange as ((x: unknown) => void) | undefined)?.(v)}
      style={props.style ?? { width: '100%' }}
      popupMatchSelectWidth={false}
    />
  );
}
