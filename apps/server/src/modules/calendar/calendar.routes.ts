import {
  DeadlinePreview,
  DeadlinePreviewQuery,
  HolidayYear,
  HolidayYearList,
  OfficeHours,
  RegionParams,
  SetHolidayYearRequest,
  SetOfficeHoursRequest,
  YearParams,
} from '@gridgov/contracts/calendar';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { CalendarService } from './calendar.service.js';

export function registerCalendarRoutes(app: FastifyInstance, deps: { calendar: CalendarService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['calendar'];
  const { calendar } = deps;

  r.get(
    '/api/calendar/years',
    {
      config: { access: { permission: 'region.read' } },
      schema: { tags, summary: '节假日安排（按年；缺失年份按周一至周五）', response: { 200: HolidayYearList } },
    },
    async () => calendar.years(),
  );
  r.get(
    '/api/calendar/years/:year',
    {
      config: { access: { permission: 'region.read' } },
      schema: { tags, summary: '某年的放假日与调休上班日', params: YearParams, response: { 200: HolidayYear } },
    },
    async (req) => calendar.year(req.params.year),
  );
  r.put(
    '/api/calendar/years/:year',
    {
      config: { access: { permission: 'system.configure' } },
      schema: {
        tags,
        summary: '更正或导入某年的节假日安排',
        params: YearParams,
        body: SetHolidayYearRequest,
        response: { 200: HolidayYear },
      },
    },
    async (req) => calendar.setYear(req.principal!, req.params.year, req.body, requestMeta(req)),
  );
  r.get(
    '/api/calendar/office-hours/:regionId',
    {
      config: { access: { permission: 'region.read' } },
      schema: { tags, summary: '辖区办公时间（本级或最近上级的设置）', params: RegionParams, response: { 200: OfficeHours } },
    },
    async (req) => calendar.officeHours(req.principal!, req.params.regionId),
  );
  r.put(
    '/api/calendar/office-hours/:regionId',
    {
      config: { access: { permission: 'region.manage' } },
      schema: { tags, summary: '设置辖区办公时间', params: RegionParams, body: SetOfficeHoursRequest, response: { 200: OfficeHours } },
    },
    async (req) => calendar.setOfficeHours(req.principal!, req.params.regionId, req.body, requestMeta(req)),
  );
  r.get(
    '/api/calendar/deadline',
    {
      config: { access: { permission: 'region.read' } },
      schema: { tags, summary: '按工作日历推算时限', querystring: DeadlinePreviewQuery, response: { 200: DeadlinePreview } },
    },
    async (req) => calendar.preview(req.principal!, req.query),
  );
}
