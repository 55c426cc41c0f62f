import { type CaseAction, type CaseStatus, caseActionLabels, caseStatusLabels, ratingLabels, supervisionLabels } from '@gridgov/contracts/cases';
import { type Role, roleLabels } from '@gridgov/contracts/roles';
import { Image, Space, Timeline, Typography } from 'antd';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { casesApi, type TCaseDetail } from '../api';

type Entry = TCaseDetail['timeline'][number];

const dotColor = (a: string) =>
  ['reject', 'return', 'verify_fail', 'cancel'].includes(a)
    ? 'red'
    : ['close', 'verify_pass', 'self_dispose', 'uphold'].includes(a)
      ? 'green'
      : a === 'urge' || a === 'supervise'
        ? 'orange'
        : 'blue';

/** A few of an action's data fields worth a line (the department it went to, the rating …). */
function DataLine({ e }: { e: Entry }) {
  const { t, label } = useI18n();
  const d = e.data as Record<string, unknown>;
  const parts: string[] = [];
  const str = (k: string) => (typeof d[k] === 'string' && d[k] ? (d[k] as string) : null);
  const lead = str('leadOrgUnitName') ?? str('leadName');
  if (lead) parts.push(t('case.tl.lead', { name: lead }));
  const co = Array.isArray(d.coOrgUnitNames) ? (d.coOrgUnitNames as string[]) : [];
  if (co.length) parts.push(t('case.tl.co', { names: co.join('、') }));
  const region = str('regionName');
  if (region) parts.push(t('case.tl.region', { name: region }));
  const rating = str('rating');
  if (rating && rating in ratingLabels) parts.push(label(ratingLabels[rating as keyof typeof ratingLabels]));
  const sup = str('supervision');
  if (sup && sup in supervisionLabels) parts.push(label(supervisionLabels[sup as keyof typeof supervisionLabels]));
  const review = str('reviewDate');
  if (review) parts.push(t('case.tl.reviewDate', { date: review }));
  const parent = str('parentCaseNo');
  if (parent) parts.push(t('case.tl.parent', { no: parent }));
  const child = str('childCaseNo');
  if (child) parts.push(t('case.tl.child', { no: child }));
  if (parts.length === 0) return null;
  return <div style={{ color: '#595959' }}>{parts.join('；')}</div>;
}

/** The case's append-only log: what was done, by whom in which role, when, why, with which photos. */
export function CaseTimeline({ entries }: { entries: Entry[] }) {
  const { label } = useI18n();
  return (
    <Timeline
      data-testid="case-timeline"
      items={entries.map((e) => ({
        key: e.seq,
        color: dotColor(e.action),
        content: (
          <div data-testid="timeline-entry" data-action={e.action} data-seq={e.seq}>
            <Space size={8} wrap>
              <Typography.Text strong data-testid="timeline-action">
                {label(caseActionLabels[e.action as CaseAction | 'report'], e.action)}
              </Typography.Text>
              {e.toStatus && e.toStatus !== e.fromStatus && (
                <Typography.Text type="secondary">→ {label(caseStatusLabels[e.toStatus as CaseStatus], e.toStatus)}</Typography.Text>
              )}
              <span data-testid="timeline-actor">
                {e.actorName ?? '—'}
                {e.actorRole && <Typography.Text type="secondary">{`（${label(roleLabels[e.actorRole as Role], e.actorRole)}）`}</Typography.Text>}
              </span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(e.at)}
              </Typography.Text>
            </Space>
            {e.note && (
              <div style={{ whiteSpace: 'pre-wrap' }} data-testid="timeline-note">
                {e.note}
              </div>
            )}
            <DataLine e={e} />
            {e.attachmentIds.length > 0 && (
              <Image.PreviewGroup>
                <Space size={4} style={{ marginTop: 4 }}>
                  {e.attachmentIds.map((id) => (
                    <Image key={id} src={casesApi.attachmentUrl(id)} width={56} height={56} style={{ objectFit: 'cover', borderRadius: 2 }} />
                  ))}
                </Space>
              </Image.PreviewGroup>
            )}
          </div>
        ),
      }))}
    />
  );
}
