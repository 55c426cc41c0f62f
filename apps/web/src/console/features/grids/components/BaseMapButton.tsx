import { GlobalOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, Radio, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { type BaseMapKind, type BaseMapSetting, loadBaseMap, saveBaseMap } from '../../../../common/map/basemap';

const KINDS: BaseMapKind[] = ['none', 'tianditu_vec', 'tianditu_img', 'xyz'];

/** 底图 settings: off (offline) by default; 天地图 with a key, or any XYZ template. Kept in this browser. */
export function BaseMapButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<BaseMapSetting>();
  const kind = Form.useWatch('kind', form);
  return (
    <>
      <Button icon={<GlobalOutlined />} onClick={() => setOpen(true)}>
        {t('gridMap.basemap')}
      </Button>
      <Modal
        open={open}
        title={t('gridMap.basemapTitle')}
        onCancel={() => setOpen(false)}
        okText={t('common.save')}
        destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields();
          saveBaseMap({ kind: v.kind, tk: v.tk?.trim() || undefined, url: v.url?.trim() || undefined, attribution: v.attribution?.trim() || undefined });
          setOpen(false);
        }}
      >
        <Typography.Paragraph type="secondary">{t('gridMap.basemapHint')}</Typography.Paragraph>
        <Form form={form} layout="vertical" initialValues={loadBaseMap()} preserve={false}>
          <Form.Item name="kind">
            <Radio.Group options={KINDS.map((k) => ({ value: k, label: t(`gridMap.basemap.${k}`) }))} />
          </Form.Item>
          {(kind === 'tianditu_vec' || kind === 'tianditu_img') && (
            <Form.Item name="tk" label={t('gridMap.basemapTk')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
              <Input maxLength={64} />
            </Form.Item>
          )}
          {kind === 'xyz' && (
            <Form.Item
              name="url"
              label={t('gridMap.basemapUrl')}
              extra={t('gridMap.basemapUrlHint')}
              rules={[
                { required: true, message: t('common.required') },
                {
                  validator: async (_, v: string | undefined) => {
                    if (v && !(v.includes('{z}') && v.includes('{x}') && v.includes('{y}'))) throw new Error(t('gridMap.basemapUrlInvalid'));
                  },
                },
              ]}
            >
              <Input placeholder="https://tiles.example.gov.cn/{z}/{x}/{y}.png" />
            </Form.Item>
          )}
          {kind !== 'none' && (
            <Form.Item name="attribution" label={t('gridMap.basemapAttribution')}>
              <Input maxLength={120} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
