import type { GridDetail } from '@gridgov/contracts/grids';
import { Alert, App, Card, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import type { MapDrawing } from '../../../../common/map/drawing';
import { gridsApi } from '../api';
import { describeError, isOverlapRefusal } from '../serverText';
import { SaveOrDraftButtons } from './SaveOrDraftButtons';

/** Vertex editing of one grid's boundary (grid.manage): save, or save as a draft when it overlaps. */
export function EditBoundaryPanel({
  grid,
  drawing,
  onSaved,
  onCancel,
}: {
  grid: GridDetail;
  drawing: MapDrawing;
  onSaved: (g: GridDetail) => void;
  onCancel: () => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const save = async (draft: boolean) => {
    const rings = drawing.current();
    if (!rings) return;
    setBusy(true);
    setError(null);
    try {
      const g = await gridsApi.setBoundary(grid.id, { geometry: { type: 'Polygon', coordinates: rings }, draft });
      message.success(t(draft ? 'gridMap.edit.savedDraft' : 'gridMap.edit.saved'));
      onSaved(g);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('gridMap.edit.title', { name: grid.name })} data-testid="edit-boundary-panel">
      <Typography.Paragraph type="secondary">{t('gridMap.edit.hint')}</Typography.Paragraph>
      {error !== null && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 10 }}
          title={t('gridMap.edit.refused')}
          description={
            <>
              <div data-testid="edit-boundary-error">{describeError(error, locale)}</div>
              {isOverlapRefusal(error) && <div style={{ marginTop: 6 }}>{t('gridMap.edit.draftOffer')}</div>}
            </>
          }
        />
      )}
      <SaveOrDraftButtons label={t('gridMap.edit.save')} busy={busy} error={error} onSave={(draft) => void save(draft)} onCancel={onCancel} />
    </Card>
  );
}
