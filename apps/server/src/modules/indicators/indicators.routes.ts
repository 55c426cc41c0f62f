import { IndicatorQuery, IndicatorReport, IndicatorSettings, IndicatorSettingsQuery, SetIndicatorSettingsRequest } from '@gridgov/contracts/indicators';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { IndicatorsService } from './indicators.service.js';

export function registerIndicatorsRoutes(app: FastifyInstance, deps: { indicators: IndicatorsService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['indicators'];
  const { indicators } = deps;
  r.get(
    '/api/indicators',
    {
      config: { access: { permission: 'indicator.read' } },
      schema: {
        tags,
        summary: '考核指标（处置率、按期结案率…；按网格/社区/街道/区/部门/事项）',
        querystring: IndicatorQuery,
        response: { 200: IndicatorReport },
      },
    },
    async (req) => indicators.report(req.principal!, req.query),
  );
  r.get(
    '/api/indicators/settings',
    {
      config: { access: { permission: 'case.configure' } },
      schema: { tags, summary: '指标口径（分母）设置', querystring: IndicatorSettingsQuery, response: { 200: IndicatorSettings } },
    },
    async (req) => indicators.settings(req.principal!, req.query.regionId),
  );
  r.put(
    '/api/indicators/settings',
    {
      config: { access: { permission: 'case.configure' } },
      schema: {
        tags,
        summary: '修改指标口径（本辖区；不填辖区为全局默认，仅系统管理员）',
        body: SetIndicatorSettingsRequest,
        response: { 200: IndicatorSettings },
      },
    },
    async (req) => indicators.setSettings(req.principal!, req.body, requestMeta(req)),
  );
}
