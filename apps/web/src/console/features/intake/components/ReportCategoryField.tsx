import type { Catalogue } from '@gridgov/contracts/catalogue';
import type { CategorySuggestion } from '@gridgov/contracts/intake';
import { Button, CascadePicker, Space, Tag } from 'antd-mobile';
import { useMemo, useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';

/**
 * The category as a form field (value/onChange = item id): the suggestions for the description as tags, and
 * every active class → item in a two-column picker. Left empty, the server recognises it from the text.
 */
export function ReportCategoryField({
  value,
  onChange,
  catalogue,
  suggestions,
}: {
  value?: string;
  onChange?: (id: string | undefined) => void;
  catalogue: Catalogue | undefined;
  suggestions: CategorySuggestion[];
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const { options, classOf, nameOf } = useMemo(() => {
    const classOf = new Map<string, string>();
    const nameOf = new Map<string, string>();
    const options = (catalogue?.classes ?? [])
      .filter((c) => c.active && c.items.some((i) => i.active))
      .map((c) => ({
        label: c.name,
        value: c.id,
        children: c.items
          .filter((i) => i.active)
          .map((i) => {
            classOf.set(i.id, c.id);
            nameOf.set(i.id, `${i.code} ${i.name}`);
            return { label: `${i.code} ${i.name}`, value: i.id };
          }),
      }));
    return { options, classOf, nameOf };
  }, [catalogue]);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      {suggestions.length > 0 && (
        <div data-testid="category-suggestions">
          <span style={{ fontSize: 13, color: 'var(--adm-color-weak)', marginRight: 4 }}>{t('intake.suggested')}</span>
          <Space wrap style={{ '--gap': '6px' }}>
            {suggestions.map((c) => (
              <Tag
                key={c.id}
                round
                color={value === c.id ? 'primary' : 'default'}
                fill={value === c.id ? 'solid' : 'outline'}
                style={{ padding: '4px 10px', fontSize: 14 }}
                onClick={() => onChange?.(value === c.id ? undefined : c.id)}
              >
                {c.name}
              </Tag>
            ))}
          </Space>
        </div>
      )}
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <button
          type="button"
          data-testid="report-category"
          onClick={() => setOpen(true)}
          style={{
            flex: 1,
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
            padding: '6px 0',
            border: 0,
            background: 'none',
            font: 'inherit',
            textAlign: 'left',
            cursor: 'pointer',
            color: value ? 'var(--adm-color-text)' : 'var(--adm-color-light)',
          }}
        >
          <span>{value ? (nameOf.get(value) ?? value) : t('intake.categoryPlaceholder')}</span>
          {!value && <span>›</span>}
        </button>
        {value && (
          <Button size="mini" fill="none" color="primary" onClick={() => onChange?.(undefined)}>
            {t('intake.categoryClear')}
          </Button>
        )}
      </div>
      <div style={{ fontSize: 12, color: 'var(--adm-color-weak)' }}>{value ? null : t('intake.categoryAuto')}</div>
      <CascadePicker
        title={t('intake.category')}
        // Rendered in place (not in a portal on <body>), so it takes the page's colours.
        getContainer={null}
        options={options}
        visible={open}
        onClose={() => setOpen(false)}
        value={value ? [classOf.get(value) ?? '', value] : []}
        onConfirm={(v) => onChange?.((v[1] as string | null) ?? undefined)}
      />
    </div>
  );
}
