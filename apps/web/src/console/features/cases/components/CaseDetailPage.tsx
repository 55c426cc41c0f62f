import { ArrowLeftOutlined, FileWordOutlined, ReloadOutlined } from '@ant-design/icons';
import { type CaseAction, caseActionLabels, caseChannelLabels, caseStageLabels, handlingLevelLabels, ratingLabels } from '@gridgov/contracts/cases';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Image, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../../common/api/client';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import type { MessageKey } from '../../../../common/i18n/zh-CN';
import { QueryError } from '../../../components/QueryError';
import { describeError } from '../../grids/serverText';
import { caseKeys, casesApi, type TCaseDetail } from '../api';
import { CaseActionModal } from './CaseActionModal';
import { CasePointMap } from './CasePointMap';
import { CaseTimeline } from './CaseTimeline';
import { SlaTag, StatusTag, SupervisionTag, UrgencyTag } from './parts';

/** The next step of the main loop gets the primary button; side branches stay plain. */
const mainFlow: CaseAction[] = ['accept', 'file', 'dispatch', 'claim', 'feedback', 'verify_pass', 'close', 'rate', 'reopen'];
const dangerous: CaseAction[] = ['reject', 'return', 'verify_fail', 'cancel'];

/** The file name the server gives (RFC 5987 `filename*=UTF-8''…`, e.g. 案件电子档案-<案卷编号>.docx). */
export function archiveName(disposition: string | null): string | null {
  const m = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  if (!m?.[1]) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

/** 导出电子档案: fetched (not a plain link) so a refusal is shown like any other server error. */
function ArchiveButton({ c }: { c: TCaseDetail }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      icon={<FileWordOutlined />}
      loading={busy}
      data-testid="case-archive"
      onClick={async () => {
        setBusy(true);
        try {
          const res = await fetch(casesApi.archiveUrl(c.id), { credentials: 'same-origin', headers: { 'x-gridgov-locale': locale } });
          if (!res.ok) {
            const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
            throw new ApiError(res.status, (body?.error?.code ?? 'INTERNAL') as never, body?.error?.message ?? `HTTP ${res.status}`);
          }
          const blob = await res.blob();
          const a = document.createElement('a');
          a.href = URL.createObjectURL(blob);
          a.download = archiveName(res.headers.get('content-disposition')) ?? `${c.caseNo}.docx`;
          a.click();
          setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
        } catch (e) {
          message.error(describeError(e, locale));
        } finally {
          setBusy(false);
        }
      }}
    >
      {t('case.archive')}
    </Button>
  );
}

function Facts({ c }: { c: TCaseDetail }) {
  const { t, label } = useI18n();
  const none = <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Descriptions size="small" column={2} bordered styles={{ label: { width: 96 } }} data-testid="case-facts">
      <Descriptions.Item label={t('case.category')}>{`${c.categoryCode} ${c.categoryName}`}</Descriptions.Item>
      <Descriptions.Item label={t('case.level')}>{label(handlingLevelLabels[c.handlingLevel])}</Descriptions.Item>
      <Descriptions.Item label={t('case.description')} span={2}>
        <span style={{ whiteSpace: 'pre-wrap' }}>{c.description}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('case.address')} span={2}>
        {c.address ?? none}
      </Descriptions.Item>
      <Descriptions.Item label={t('case.grid')}>{c.gridName ?? <Typography.Text type="warning">{t('case.noGrid')}</Typography.Text>}</Descriptions.Item>
      <Descriptions.Item label={t('case.region')}>{c.regionName}</Descriptions.Item>
      <Descriptions.Item label={t('case.reporter')}>
        {c.reporterName ?? none}
        {c.reporterPhone && <span style={{ fontFamily: 'monospace', marginInlineStart: 8 }}>{c.reporterPhone}</span>}
        {c.firstReport && c.children.length > 0 && (
          <Tag color="blue" style={{ marginInlineStart: 8 }}>
            {t('case.firstReport')}
          </Tag>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('case.channel')}>
        {label(caseChannelLabels[c.channel], c.channel)}
        {c.externalId && <Typography.Text type="secondary">{` · ${c.externalId}`}</Typography.Text>}
        {c.channelDetail && <Typography.Text type="secondary">{` · ${c.channelDetail}`}</Typography.Text>}
      </Descriptions.Item>
      <Descriptions.Item label={t('case.people')} span={2}>
        {c.peopleInvolved ?? none}
      </Descriptions.Item>
      <Descriptions.Item label={t('case.lead')}>
        {c.leadOrgUnitName ?? none}
        {c.coOrgUnits.length > 0 && <Typography.Text type="secondary">{` + ${c.coOrgUnits.map((u) => u.name).join('、')}`}</Typography.Text>}
      </Descriptions.Item>
      <Descriptions.Item label={t('case.reportedAt')}>{formatDateTime(c.reportedAt)}</Descriptions.Item>
    </Descriptions>
  );
}

const purposeKey: Record<string, MessageKey> = { before: 'case.purpose.before', after: 'case.purpose.after' };

/** Photos with what they show: 处置前/处置后 when the upload said so, else the action they came with (上报, 处置反馈 …). */
function Photos({ c }: { c: TCaseDetail }) {
  const { t, label } = useI18n();
  const photos = c.attachments.filter((a) => a.kind === 'photo');
  const others = c.attachments.filter((a) => a.kind !== 'photo');
  if (c.attachments.length === 0) return null;
  const actionOf = new Map<string, string>();
  for (const e of c.timeline) for (const id of e.attachmentIds) actionOf.set(id, e.action);
  const caption = (a: TCaseDetail['attachments'][number]) => {
    const k = purposeKey[a.purpose];
    if (k) return t(k);
    const action = actionOf.get(a.id);
    return action ? label(caseActionLabels[action as CaseAction | 'report'], action) : a.purpose;
  };
  return (
    <Card size="small" title={t('case.photos', { n: c.attachments.length })} style={{ marginTop: 12 }}>
      <Image.PreviewGroup>
        <Space size={6} wrap data-testid="case-photos">
          {photos.map((a) => (
            <div key={a.id} style={{ textAlign: 'center' }}>
              <Image
                src={casesApi.attachmentUrl(a.id)}
                width={88}
                height={88}
                style={{ objectFit: 'cover', borderRadius: 3 }}
                alt={a.originalName ?? a.purpose}
              />
              <div style={{ fontSize: 12, color: '#8c8c8c' }} data-testid="photo-caption">
                {caption(a)}
              </div>
            </div>
          ))}
        </Space>
      </Image.PreviewGroup>
      {others.map((a) => (
        <div key={a.id}>
          <a href={casesApi.attachmentUrl(a.id)} target="_blank" rel="noreferrer">
            {`${caption(a)} · ${a.originalName ?? a.id}`}
          </a>
        </div>
      ))}
    </Card>
  );
}

function Related({ c }: { c: TCaseDetail }) {
  const { t } = useI18n();
  if (!c.parentCaseId && c.children.length === 0) return null;
  return (
    <Card size="small" title={t('case.related')} style={{ marginTop: 12 }} data-testid="case-related">
      {c.parentCaseId && (
        <div>
          {t('case.mergedInto')} <Link to={`/cases/${c.parentCaseId}`}>{t('case.parentCase')}</Link>
        </div>
      )}
      {c.children.length > 0 && (
        <>
          <Typography.Text type="secondary">{t('case.children', { n: c.children.length })}</Typography.Text>
          {c.children.map((k) => (
            <div key={k.id}>
              <Link to={`/cases/${k.id}`} style={{ fontFamily: 'monospace' }}>
                {k.caseNo}
              </Link>{' '}
              <Typography.Text type="secondary">{formatDateTime(k.reportedAt)}</Typography.Text>
            </div>
          ))}
        </>
      )}
    </Card>
  );
}

function Indicators({ c }: { c: TCaseDetail }) {
  const { t, label } = useI18n();
  const yn = (v: boolean | null) => (v === null ? '—' : v ? t('common.yes') : t('common.no'));
  return (
    <Card size="small" title={t('case.indicators')} style={{ marginTop: 12 }}>
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t('case.stage')}>{c.stage ? label(caseStageLabels[c.stage]) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('case.stageStarted')}>{c.stageStartedAt ? formatDateTime(c.stageStartedAt).slice(5, 16) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('case.handleDue')}>{c.handleDueAt ? formatDateTime(c.handleDueAt).slice(5, 16) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('case.onTimeHandle')}>{yn(c.onTimeHandle)}</Descriptions.Item>
        <Descriptions.Item label={t('case.onTimeClose')}>{yn(c.onTimeClose)}</Descriptions.Item>
        <Descriptions.Item label={t('case.rework')}>{c.reworkCount}</Descriptions.Item>
        <Descriptions.Item label={t('case.returns')}>{c.returnCount}</Descriptions.Item>
        <Descriptions.Item label={t('case.extensions')}>{c.extensionCount}</Descriptions.Item>
        <Descriptions.Item label={t('case.satisfaction')}>{c.satisfaction ? label(ratingLabels[c.satisfaction]) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('case.callback')}>{yn(c.callbackDone)}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** 案件详情: who reported what where, where it stands, what happened, and what the caller may do now. */
export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const { t, label } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: caseKeys.detail(id), queryFn: () => casesApi.get(id), enabled: can('case.read') || can('case.report') });
  const [action, setAction] = useState<CaseAction | null>(null);

  if (!can('case.read') && !can('case.report')) return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
  if (q.isLoading) return <Spin style={{ margin: 48 }} />;
  if (q.error) {
    if (q.error instanceof ApiError && q.error.status === 404) return <Result status="404" title={t('case.notFound')} data-testid="case-not-found" />;
    return <QueryError error={q.error} retry={() => void q.refetch()} />;
  }
  const c = q.data;
  if (!c) return <Empty />;

  const ordered = [...c.allowedActions].sort((a, b) => Number(mainFlow.includes(b)) - Number(mainFlow.includes(a)));
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="case-detail">
      <Card size="small">
        <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('case.back')} />
          <Typography.Title level={5} style={{ margin: 0, fontFamily: 'monospace' }} data-testid="case-no">
            {c.caseNo}
          </Typography.Title>
          <StatusTag status={c.status} />
          <SlaTag level={c.suspended ? 'paused' : c.slaLevel} dueAt={c.stageDueAt} inline />
          <UrgencyTag urgency={c.urgency} />
          <SupervisionTag level={c.supervision} />
          {c.suspended && <Tag color="purple">{t('case.suspended')}</Tag>}
          <Typography.Text strong ellipsis style={{ maxWidth: 360 }} title={c.title}>
            {c.title}
          </Typography.Text>
          <div style={{ flex: 1 }} />
          {can('case.read') && <ArchiveButton c={c} />}
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
        </div>
        <div style={{ display: 'flex', gap: 6, flexWrap: 'wrap', marginTop: 10 }} data-testid="case-actions">
          {ordered.length === 0 && <Typography.Text type="secondary">{t('case.noActions')}</Typography.Text>}
          {ordered.map((a) => (
            <Button
              key={a}
              type={mainFlow.includes(a) ? 'primary' : 'default'}
              danger={dangerous.includes(a)}
              onClick={() => setAction(a)}
              data-testid={`case-action-${a}`}
            >
              {label(caseActionLabels[a])}
            </Button>
          ))}
        </div>
      </Card>
      {c.warnings.map((w) => (
        <Alert key={w.code} type="warning" showIcon title={label(w)} />
      ))}
      <Row gutter={12}>
        <Col span={15}>
          <Facts c={c} />
          <Photos c={c} />
          <Card size="small" title={t('case.timeline')} style={{ marginTop: 12 }}>
            <CaseTimeline entries={c.timeline} />
          </Card>
        </Col>
        <Col span={9}>
          <Card size="small" title={t('case.location')} styles={{ body: { padding: 6 } }}>
            {c.location ? (
              <CasePointMap lng={c.location.lng} lat={c.location.lat} gridId={can('grid.read') ? c.gridId : null} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('case.noLocation')} />
            )}
            {c.location && (
              <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
                {`${c.location.lng.toFixed(6)}, ${c.location.lat.toFixed(6)}`}
              </Typography.Text>
            )}
          </Card>
          <Related c={c} />
          <Indicators c={c} />
        </Col>
      </Row>
      {action && (
        <CaseActionModal
          action={action}
          caseIds={[c.id]}
          version={c.version}
          caseTitle={c.caseNo}
          routing={{ categoryId: c.categoryId, regionId: c.regionId }}
          onClose={() => setAction(null)}
          submit={async (body) => {
            const next = await casesApi.act(c.id, body).catch((e: unknown) => {
              // Someone acted first: the page behind the form reloads, the form says why.
              if (e instanceof ApiError && (e.code === 'CASE_STALE' || e.code === 'CASE_WRONG_STATE')) void q.refetch();
              throw e;
            });
            setAction(null);
            message.success(t('case.actionDone', { action: label(caseActionLabels[action]) }));
            if (next && typeof next === 'object' && 'id' in next) qc.setQueryData(caseKeys.detail(c.id), next);
            void qc.invalidateQueries({ queryKey: caseKeys.all });
          }}
        />
      )}
    </Space>
  );
}
