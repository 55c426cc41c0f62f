import { PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { AdjustmentDetail } from '@gridgov/contracts/adjustments';
import type { AreaGeometry } from '@gridgov/contracts/geojson';
import { type GridDetail, gridTypeLabels } from '@gridgov/contracts/grids';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Empty, Space, Spin } from 'antd';
import dayjs from 'dayjs';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { MapDrawing } from '../../../../common/map/drawing';
import { type BBox, bboxOf, labelPoint, mergeAreas, type Pos, splitByLine, toPolys, unionBBox } from '../../../../common/map/geometry';
import { MapView } from '../../../../common/map/MapView';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { type Coverage, gridKeys, gridsApi } from '../api';
import { GridLayers, issueColors, type LayerState, previewColors, typeColors } from '../map/gridLayers';
import { BaseMapButton } from './BaseMapButton';
import { CoveragePanel } from './CoveragePanel';
import { CreateGridPanel } from './CreateGridPanel';
import { EditBoundaryPanel } from './EditBoundaryPanel';
import { formatNumber } from './format';
import { type GridAction, GridDetailPanel } from './GridDetailPanel';
import { GridInfoModal } from './GridInfoModal';
import { GridSearch } from './GridSearch';
import { PointLookupButton } from './PointLookupButton';
import { ProposalForm, type ProposalPart } from './ProposalForm';
import { StaffModal } from './StaffModal';

type Mode =
  | { kind: 'browse' }
  | { kind: 'edit'; grid: GridDetail }
  | { kind: 'split'; grid: GridDetail; parts: [AreaGeometry, AreaGeometry] | null; error: string | null }
  | { kind: 'merge'; grid: GridDetail; other: GridDetail | null; merged: AreaGeometry | null; error: string | null }
  | { kind: 'create'; communityId: string | null; geometry: AreaGeometry | null };

/** Parts in reading order — north first, then west — as grids are numbered (DB6101/T 3185). */
function readingOrder<T extends AreaGeometry>(parts: [T, T]): [T, T] {
  const [a, b] = parts;
  const pa = labelPoint(a);
  const pb = labelPoint(b);
  const dy = pb[1] - pa[1];
  const northFirst = Math.abs(dy) > 1e-4 ? dy < 0 : pa[0] <= pb[0];
  return northFirst ? [a, b] : [b, a];
}

const PANEL_WIDTH = 380;

/** 网格地图: grids by type over region outlines, search, coverage check, editing, split / merge applications. */
export default function GridMapPage() {
  const { t, label } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const layersRef = useRef<GridLayers | null>(null);
  const drawRef = useRef<MapDrawing | null>(null);
  const [ready, setReady] = useState(false);
  const [layerState, setLayerState] = useState<LayerState>({ loading: true, zoomedOut: false, truncated: false, error: null, count: 0 });
  const [selectedId, setSelectedId] = useState<string | null>(params.get('grid'));
  const [mode, setModeState] = useState<Mode>({ kind: 'browse' });
  const modeRef = useRef<Mode>(mode);
  const setMode = useCallback((m: Mode) => {
    modeRef.current = m;
    setModeState(m);
  }, []);
  const [coverageRegion, setCoverageRegion] = useState<string | undefined>();
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [coverageBusy, setCoverageBusy] = useState(false);
  const [infoOpen, setInfoOpen] = useState(false);
  const [staffOpen, setStaffOpen] = useState(false);
  const [historyDate, setHistoryDate] = useState<string | null>(null);

  const detail = useQuery({ queryKey: gridKeys.detail(selectedId ?? ''), queryFn: () => gridsApi.get(selectedId as string), enabled: !!selectedId });

  const pickMergeTarget = useCallback(
    async (id: string) => {
      const m = modeRef.current;
      if (m.kind !== 'merge') return;
      if (id === m.grid.id) {
        setMode({ ...m, error: t('gridMap.merge.sameGrid') });
        return;
      }
      try {
        const other = await qc.fetchQuery({ queryKey: gridKeys.detail(id), queryFn: () => gridsApi.get(id) });
        if (other.communityId !== m.grid.communityId) {
          setMode({ ...m, other: null, merged: null, error: t('gridMap.merge.otherCommunity') });
          return;
        }
        if (!m.grid.geometry || !other.geometry) return;
        const r = mergeAreas(m.grid.geometry, other.geometry);
        if (!r.ok) {
          setMode({ ...m, other: null, merged: null, error: t('gridMap.merge.notAdjacent') });
          return;
        }
        layersRef.current?.setPreview([{ geometry: r.geometry, color: previewColors[0], label: m.grid.name }], [m.grid.id, other.id]);
        setMode({ kind: 'merge', grid: m.grid, other, merged: r.geometry, error: null });
      } catch (e) {
        setMode({ ...m, error: (e as Error).message });
      }
    },
    [qc, setMode, t],
  );

  const onReady = useCallback(
    (map: MapLibreMap) => {
      const focus = params.get('grid');
      const start = async () => {
        // Open on the grid asked for, or on the regions the caller may see.
        let box: BBox | null = null;
        try {
          if (focus) {
            const g = await qc.fetchQuery({ queryKey: gridKeys.detail(focus), queryFn: () => gridsApi.get(focus) });
            if (g.geometry) box = bboxOf(g.geometry);
          } else {
            const fc = await gridsApi.regionFeatures('73,3,136,54');
            for (const f of fc.features) box = box ? unionBBox(box, bboxOf(f.geometry)) : bboxOf(f.geometry);
          }
        } catch {
          // the layers below report load errors themselves
        }
        if (box)
          map.fitBounds(
            [
              [box[0], box[1]],
              [box[2], box[3]],
            ],
            { padding: 40, duration: 0, maxZoom: focus ? 15.5 : 15 },
          );
        const layers = new GridLayers(map, setLayerState);
        layersRef.current = layers;
        drawRef.current = new MapDrawing(map, () => {
          const m = modeRef.current;
          return layers.snapRings(m.kind === 'edit' ? m.grid.id : null);
        });
        map.on('click', 'grids-fill', (e) => {
          const id = e.features?.[0]?.properties?.id as string | undefined;
          if (!id) return;
          const m = modeRef.current;
          if (m.kind === 'browse') setSelectedId(id);
          else if (m.kind === 'merge') void pickMergeTarget(id);
        });
        map.on('mouseenter', 'grids-fill', () => {
          const k = modeRef.current.kind;
          if (k === 'browse' || k === 'merge') map.getCanvas().style.cursor = 'pointer';
        });
        map.on('mouseleave', 'grids-fill', () => {
          const k = modeRef.current.kind;
          if (k === 'browse' || k === 'merge') map.getCanvas().style.cursor = '';
        });
        setReady(true);
      };
      void start();
    },
    [params, qc, pickMergeTarget],
  );

  useEffect(
    () => () => {
      drawRef.current?.destroy();
      layersRef.current?.destroy();
    },
    [],
  );

  // Highlight the selection (and the merge partner); `ready`: once the layers exist.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `ready` re-runs this when the layers appear
  useEffect(() => {
    const ids = [selectedId, mode.kind === 'merge' ? mode.other?.id : undefined].filter((x): x is string => !!x);
    layersRef.current?.setSelected(ids);
  }, [selectedId, mode, ready]);

  // Keep ?grid= in the address so a selection can be shared or reloaded.
  useEffect(() => {
    const cur = params.get('grid');
    if ((selectedId ?? null) !== cur) {
      const next = new URLSearchParams(params);
      if (selectedId) next.set('grid', selectedId);
      else next.delete('grid');
      setParams(next, { replace: true });
    }
  }, [selectedId, params, setParams]);

  const backToBrowse = useCallback(() => {
    drawRef.current?.reset();
    layersRef.current?.setPreview([]);
    setMode({ kind: 'browse' });
  }, [setMode]);

  const startSplit = useCallback(
    (grid: GridDetail, error: string | null = null) => {
      const drawing = drawRef.current;
      if (!drawing || !grid.geometry) return;
      const geometry = grid.geometry;
      layersRef.current?.setPreview([]);
      setMode({ kind: 'split', grid, parts: null, error });
      drawing.drawLine((coords: Pos[]) => {
        const r = splitByLine(geometry, coords);
        // Leave terra-draw's finish handler before changing its mode.
        setTimeout(() => {
          if (!r.ok) {
            startSplit(grid, t(`gridMap.split.${r.reason}`));
            return;
          }
          drawing.reset();
          const parts = readingOrder(r.parts);
          layersRef.current?.setPreview(
            [
              { geometry: parts[0], color: previewColors[0], label: `${grid.name}${t('gridMap.split.suffixA')}` },
              { geometry: parts[1], color: previewColors[1], label: `${grid.name}${t('gridMap.split.suffixB')}` },
            ],
            [grid.id],
          );
          setMode({ kind: 'split', grid, parts, error: null });
        }, 0);
      });
    },
    [setMode, t],
  );

  const startCreateDraw = useCallback(
    (communityId: string) => {
      const drawing = drawRef.current;
      if (!drawing) return;
      layersRef.current?.setPreview([]);
      setMode({ kind: 'create', communityId, geometry: null });
      drawing.drawPolygon((ring) => {
        setTimeout(() => {
          drawing.reset();
          const geometry: AreaGeometry = { type: 'Polygon', coordinates: [ring] };
          layersRef.current?.setPreview([{ geometry, color: previewColors[2] }]);
          setMode({ kind: 'create', communityId, geometry });
        }, 0);
      });
    },
    [setMode],
  );

  const onAction = (a: GridAction) => {
    const grid = detail.data;
    if (!grid) return;
    setCoverage(null);
    layersRef.current?.setCoverage([], () => '');
    if (a === 'editInfo') {
      setInfoOpen(true);
      return;
    }
    if (a === 'editStaff') {
      setStaffOpen(true);
      return;
    }
    if (!grid.geometry) return;
    if (a === 'editBoundary') {
      const polys = toPolys(grid.geometry);
      const only = polys.length === 1 ? polys[0] : undefined;
      if (!only) {
        message.warning(t('gridMap.edit.multipart'));
        return;
      }
      drawRef.current?.editPolygon(only);
      setMode({ kind: 'edit', grid });
    } else if (a === 'split') startSplit(grid);
    else if (a === 'merge') {
      drawRef.current?.reset();
      setMode({ kind: 'merge', grid, other: null, merged: null, error: null });
    }
  };

  const flyToGrid = async (id: string) => {
    setSelectedId(id);
    try {
      const g = await qc.fetchQuery({ queryKey: gridKeys.detail(id), queryFn: () => gridsApi.get(id) });
      if (g.geometry) layersRef.current?.fitTo(g.geometry);
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const runCoverage = async () => {
    if (!coverageRegion) {
      message.info(t('gridMap.coveragePickRegion'));
      return;
    }
    setCoverageBusy(true);
    try {
      const r = await gridsApi.coverage(coverageRegion);
      setCoverage(r);
      layersRef.current?.setCoverage(r.issues, (kind, area) => `${t(`gridMap.issue.${kind as 'gap'}`)} ${formatNumber(area)} m²`);
      if (r.issues[0]) {
        let box = bboxOf(r.issues[0].geometry);
        for (const i of r.issues) box = unionBBox(box, bboxOf(i.geometry));
        layersRef.current?.fitTo({
          type: 'Polygon',
          coordinates: [
            [
              [box[0], box[1]],
              [box[2], box[1]],
              [box[2], box[3]],
              [box[0], box[3]],
              [box[0], box[1]],
            ],
          ],
        });
      }
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setCoverageBusy(false);
    }
  };

  const afterAdjustment = (a: AdjustmentDetail) => {
    backToBrowse();
    void qc.invalidateQueries({ queryKey: gridKeys.adjustments });
    navigate(`/grid-adjustments?id=${a.id}`);
  };

  const gridName = (id: string) => layersRef.current?.grids.get(id)?.props.name ?? id.slice(0, 8);

  const proposalParts = (): ProposalPart[] => {
    if (mode.kind === 'split' && mode.parts)
      return [
        {
          geometry: mode.parts[0],
          name: `${mode.grid.name}${t('gridMap.split.suffixA')}`,
          gridType: mode.grid.gridType,
          dedicatedKind: mode.grid.dedicatedKind,
          color: previewColors[0],
        },
        {
          geometry: mode.parts[1],
          name: `${mode.grid.name}${t('gridMap.split.suffixB')}`,
          gridType: mode.grid.gridType,
          dedicatedKind: mode.grid.dedicatedKind,
          color: previewColors[1],
        },
      ];
    if (mode.kind === 'merge' && mode.merged)
      return [{ geometry: mode.merged, name: mode.grid.name, gridType: mode.grid.gridType, dedicatedKind: mode.grid.dedicatedKind, color: previewColors[0] }];
    return [];
  };

  const panel = () => {
    if (mode.kind === 'edit' && drawRef.current)
      return (
        <EditBoundaryPanel
          grid={mode.grid}
          drawing={drawRef.current}
          onCancel={backToBrowse}
          onSaved={(g) => {
            qc.setQueryData(gridKeys.detail(g.id), g);
            void qc.invalidateQueries({ queryKey: gridKeys.all });
            backToBrowse();
            void layersRef.current?.refresh();
          }}
        />
      );
    if (mode.kind === 'split')
      return (
        <Card size="small" title={t('gridMap.split.title', { name: mode.grid.name })} data-testid="split-panel">
          {!mode.parts && (
            <>
              <Alert type="info" showIcon title={t('gridMap.split.hint')} style={{ marginBottom: 10 }} />
              {mode.error && <Alert type="error" showIcon title={mode.error} style={{ marginBottom: 10 }} data-testid="split-error" />}
              <Space>
                <Button onClick={() => drawRef.current?.finish()}>{t('gridMap.action.finishLine')}</Button>
                <Button onClick={backToBrowse}>{t('common.cancel')}</Button>
              </Space>
            </>
          )}
          {mode.parts && (
            <>
              <Button size="small" style={{ marginBottom: 10 }} onClick={() => startSplit(mode.grid)}>
                {t('gridMap.action.redo')}
              </Button>
              <ProposalForm
                kind="split"
                communityId={mode.grid.communityId}
                sourceGridIds={[mode.grid.id]}
                parts={proposalParts()}
                onCreated={afterAdjustment}
                onCancel={backToBrowse}
              />
            </>
          )}
        </Card>
      );
    if (mode.kind === 'merge')
      return (
        <Card
          size="small"
          title={mode.other ? t('gridMap.merge.with', { name: mode.other.name }) : t('gridMap.merge.title', { name: mode.grid.name })}
          data-testid="merge-panel"
        >
          {!mode.merged && (
            <>
              <Alert type="info" showIcon title={t('gridMap.merge.hint')} style={{ marginBottom: 10 }} />
              {mode.error && <Alert type="error" showIcon title={mode.error} style={{ marginBottom: 10 }} />}
              <Button onClick={backToBrowse}>{t('common.cancel')}</Button>
            </>
          )}
          {mode.merged && mode.other && (
            <ProposalForm
              kind="merge"
              communityId={mode.grid.communityId}
              sourceGridIds={[mode.grid.id, mode.other.id]}
              parts={proposalParts()}
              onCreated={afterAdjustment}
              onCancel={backToBrowse}
            />
          )}
        </Card>
      );
    if (mode.kind === 'create')
      return (
        <CreateGridPanel
          communityId={mode.communityId}
          geometry={mode.geometry}
          onCommunity={startCreateDraw}
          onRedraw={() => mode.communityId && startCreateDraw(mode.communityId)}
          onCancel={backToBrowse}
          onCreated={(g) => {
            backToBrowse();
            void qc.invalidateQueries({ queryKey: gridKeys.all });
            void layersRef.current?.refresh();
            setSelectedId(g.id);
          }}
        />
      );
    return (
      <Space orientation="vertical" size={10} style={{ width: '100%' }}>
        {coverage && (
          <CoveragePanel
            report={coverage}
            gridName={gridName}
            onFocus={(i) => layersRef.current?.fitTo(i.geometry, 18)}
            onClose={() => {
              setCoverage(null);
              layersRef.current?.setCoverage([], () => '');
            }}
          />
        )}
        {!selectedId && !coverage && (
          <Card size="small">
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('gridMap.selectHint')} />
          </Card>
        )}
        {selectedId && detail.isLoading && <Spin style={{ margin: 24 }} />}
        {selectedId && detail.error && <QueryError error={detail.error} retry={() => void detail.refetch()} />}
        {selectedId && detail.data && <GridDetailPanel grid={detail.data} onAction={onAction} />}
      </Space>
    );
  };

  const busyMode = mode.kind !== 'browse';
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: 'calc(100vh - 68px)', gap: 8 }}>
      <Space wrap size={8}>
        <GridSearch onPick={(g) => void flyToGrid(g.id)} />
        <RegionTreeSelect
          value={coverageRegion}
          onChange={(v) => setCoverageRegion(v)}
          placeholder={t('gridMap.coverageRegion')}
          style={{ width: 220 }}
          aria-label={t('gridMap.coverageRegion')}
        />
        <Button icon={<SafetyCertificateOutlined />} loading={coverageBusy} disabled={busyMode} onClick={() => void runCoverage()} data-testid="coverage-run">
          {t('gridMap.coverageCheck')}
        </Button>
        {can('grid.manage') && (
          <Button
            icon={<PlusOutlined />}
            disabled={busyMode}
            onClick={() => {
              setSelectedId(null);
              setMode({ kind: 'create', communityId: null, geometry: null });
            }}
          >
            {t('gridMap.action.create')}
          </Button>
        )}
        <DatePicker
          placeholder={t('gridMap.onDate')}
          aria-label={t('gridMap.onDate')}
          disabled={busyMode}
          disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          onChange={(d) => {
            const on = d ? d.format('YYYY-MM-DD') : null;
            setHistoryDate(on);
            layersRef.current?.setDate(on);
          }}
        />
        <PointLookupButton onShow={(id) => void flyToGrid(id)} />
        <BaseMapButton />
      </Space>
      <div style={{ display: 'flex', flex: 1, minHeight: 0, gap: 8 }}>
        <MapView onReady={onReady} style={{ flex: 1, minWidth: 0, borderRadius: 3, overflow: 'hidden', border: '1px solid #d9dee5' }} data-testid="grid-map">
          <div
            style={{
              position: 'absolute',
              left: 8,
              top: 8,
              background: 'rgba(255,255,255,0.92)',
              padding: '6px 8px',
              borderRadius: 3,
              fontSize: 12,
              boxShadow: '0 1px 3px rgba(0,0,0,0.15)',
              pointerEvents: 'none',
            }}
            data-testid="grid-map-legend"
          >
            <div style={{ fontWeight: 600, marginBottom: 2 }}>{t('gridMap.legend')}</div>
            {(['01', '02', '03'] as const).map((k) => (
              <div key={k} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                <span style={{ width: 14, height: 10, background: `${typeColors[k]}40`, border: `1.5px solid ${typeColors[k]}`, display: 'inline-block' }} />
                {label(gridTypeLabels[k])}
              </div>
            ))}
            <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
              <span style={{ width: 14, height: 10, border: '2px solid #e03131', display: 'inline-block' }} />
              {t('gridMap.legendFlagged')}
            </div>
            {coverage && (
              <>
                <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                  <span style={{ width: 14, height: 10, background: issueColors.overlap, display: 'inline-block' }} />
                  {t('gridMap.legendOverlap')}
                </div>
                <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                  <span style={{ width: 14, height: 10, background: issueColors.gap, display: 'inline-block' }} />
                  {t('gridMap.legendGap')}
                </div>
              </>
            )}
          </div>
          {historyDate && !layerState.zoomedOut && !layerState.error && (
            <div style={{ position: 'absolute', bottom: 8, left: '50%', transform: 'translateX(-50%)' }}>
              <Alert type="warning" showIcon title={t('gridMap.historyBanner', { date: historyDate })} data-testid="grid-map-history" />
            </div>
          )}
          {(layerState.zoomedOut || layerState.truncated || layerState.error) && (
            <div style={{ position: 'absolute', top: 8, left: '50%', transform: 'translateX(-50%)', maxWidth: '70%' }}>
              <Alert
                type={layerState.error ? 'error' : 'info'}
                showIcon
                title={
                  layerState.error
                    ? t('gridMap.loadFailed', { message: layerState.error })
                    : layerState.zoomedOut
                      ? t('gridMap.zoomIn')
                      : t('gridMap.truncated')
                }
              />
            </div>
          )}
          {layerState.loading && <Spin size="small" style={{ position: 'absolute', right: 12, top: 12 }} />}
        </MapView>
        <div style={{ width: PANEL_WIDTH, flex: 'none', overflowY: 'auto' }} data-testid="grid-side-panel">
          {panel()}
        </div>
      </div>
      {detail.data && staffOpen && (
        <StaffModal
          grid={detail.data}
          open={staffOpen}
          onClose={() => setStaffOpen(false)}
          onSaved={(g) => {
            setStaffOpen(false);
            qc.setQueryData(gridKeys.detail(g.id), g);
            void qc.invalidateQueries({ queryKey: gridKeys.all });
          }}
        />
      )}
      {detail.data && infoOpen && (
        <GridInfoModal
          grid={detail.data}
          open={infoOpen}
          onClose={() => setInfoOpen(false)}
          onSaved={(g) => {
            setInfoOpen(false);
            qc.setQueryData(gridKeys.detail(g.id), g);
            void qc.invalidateQueries({ queryKey: gridKeys.all });
            void layersRef.current?.refresh();
          }}
        />
      )}
    </div>
  );
}
