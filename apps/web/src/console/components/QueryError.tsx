import { Alert, Button } from 'antd';
import { ApiError } from '../../common/api/client';
import { useI18n } from '../../common/i18n/I18nProvider';

/** A failed load: the server's message, its request id for support, and a retry. */
export function QueryError({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  const msg = error instanceof Error ? error.message : String(error);
  const rid = error instanceof ApiError ? error.requestId : undefined;
  return (
    <Alert
      type="error"
      showIcon
      title={`${t('common.loadFailed')}: ${msg}`}
      description={rid ? `${t('common.requestId')}: ${rid}` : undefined}
      action={
        retry && (
          <Button size="small" onClick={retry}>
            {t('common.retry')}
          </Button>
        )
      }
    />
  );
}
