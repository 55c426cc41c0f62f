import { Button, Space } from 'antd';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { isOverlapRefusal } from '../serverText';

/**
 * Save, cancel and — only after the server refused an overlap — "save as draft", which stores the
 * geometry anyway so the overlap can be fixed later (the coverage check keeps showing it).
 */
export function SaveOrDraftButtons(props: { label: string; busy: boolean; error: unknown; onSave: (draft: boolean) => void; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <Space wrap>
      <Button type="primary" loading={props.busy} onClick={() => props.onSave(false)}>
        {props.label}
      </Button>
      {isOverlapRefusal(props.error) && (
        <Button danger disabled={props.busy} onClick={() => props.onSave(true)}>
          {t('gridMap.edit.saveDraft')}
        </Button>
      )}
      <Button disabled={props.busy} onClick={props.onCancel}>
        {t('common.cancel')}
      </Button>
    </Space>
  );
}
