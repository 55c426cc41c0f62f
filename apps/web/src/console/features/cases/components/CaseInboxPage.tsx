import { useI18n } from '../../../../common/i18n/I18nProvider';
import type { TCaseSummary } from '../api';
import { CaseListPage, type CaseTab } from './CaseListPage';

const tabs: CaseTab[] = [
  { key: 'dispatched', label: 'case.tab.toClaim', status: ['dispatched'] },
  { key: 'handling', label: 'case.tab.inHand', status: ['handling'] },
  { key: 'feedback', label: 'case.tab.fedBack', status: ['feedback', 'verified'] },
  { key: 'all', label: 'case.tab.all', status: [] },
];

/** 部门待办: the cases dispatched to the caller's department (lead or cooperating). */
export default function CaseInboxPage() {
  const { t } = useI18n();
  return (
    <CaseListPage
      view="inbox"
      title="nav.caseInbox"
      tabs={tabs}
      testId="case-inbox"
      extraColumns={[
        { title: t('case.lead'), dataIndex: 'leadOrgUnitName', width: 110, ellipsis: true, render: (v: TCaseSummary['leadOrgUnitName']) => v ?? '—' },
      ]}
    />
  );
}
