import { useI18n } from '../../../../common/i18n/I18nProvider';
import type { TCaseSummary } from '../api';
import { CaseListPage, type CaseTab } from './CaseListPage';

/** The dispatcher's tabs: one per stage a dispatcher acts in, with its bulk action. */
const tabs: CaseTab[] = [
  { key: 'reported', label: 'case.tab.reported', status: ['reported'], bulk: ['accept'] },
  { key: 'accepted', label: 'case.tab.accepted', status: ['accepted'], bulk: ['file'] },
  { key: 'filed', label: 'case.tab.filed', status: ['filed'], bulk: ['dispatch'] },
  { key: 'returned', label: 'case.tab.returned', status: ['returned'], bulk: ['dispatch'] },
  { key: 'handling', label: 'case.tab.handling', status: ['dispatched', 'handling'] },
  { key: 'feedback', label: 'case.tab.feedback', status: ['feedback'] },
  { key: 'verified', label: 'case.tab.verified', status: ['verified'] },
  { key: 'reviewing', label: 'case.tab.reviewing', status: ['reviewing'], bulk: ['dispatch'] },
  { key: 'all', label: 'case.tab.all', status: [] },
];

/** 案件调度: a street's or community's whole day of cases. */
export default function CaseQueuePage() {
  const { t } = useI18n();
  return (
    <CaseListPage
      view="queue"
      title="nav.caseQueue"
      tabs={tabs}
      testId="case-queue"
      extraColumns={[
        {
          title: t('case.lead'),
          dataIndex: 'leadOrgUnitName',
          width: 110,
          ellipsis: true,
          render: (v: TCaseSummary['leadOrgUnitName']) => v ?? '—',
        },
      ]}
    />
  );
}
