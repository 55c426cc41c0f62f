import { CaseListPage, type CaseTab } from './CaseListPage';

/** Verification tasks first: they are what a grid worker goes out for. */
const tabs: CaseTab[] = [
  { key: 'verify', label: 'case.tab.toVerify', status: ['feedback'] },
  { key: 'open', label: 'case.tab.open', status: [], open: true },
  { key: 'closed', label: 'case.tab.closed', status: ['closed'] },
  { key: 'all', label: 'case.tab.all', status: [] },
];

/** 我的案件: the cases of the grids a grid worker or leader serves. */
export default function MyCasesPage() {
  return <CaseListPage view="mine" title="nav.myCases" tabs={tabs} testId="my-cases" />;
}
