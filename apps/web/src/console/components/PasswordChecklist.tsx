import { CheckCircleFilled, CloseCircleOutlined } from '@ant-design/icons';
import { passwordProblemLabels, passwordProblems } from '@gridgov/contracts/auth';
import { Typography } from 'antd';
import { useI18n } from '../../common/i18n/I18nProvider';

interface Props {
  password: string;
  username?: string;
  mobile?: string | null;
  /** When given, the new password must differ from it. */
  current?: string;
}

/** The server's password rules, checked as the person types (the server checks again). */
export function passwordIssues({ password, username, mobile, current }: Props): string[] {
  const problems = passwordProblems(password, { username, mobile });
  if (current && password && current === password) problems.push('same_as_current');
  return problems;
}

export function PasswordChecklist(props: Props) {
  const { label, t } = useI18n();
  const problems = new Set(passwordIssues(props));
  const rules = ['too_short', 'too_simple'];
  if (props.username) rules.push('contains_username');
  if (props.mobile) rules.push('contains_mobile');
  if (props.current !== undefined) rules.push('same_as_current');
  if (props.password.length > 128) rules.push('too_long');
  return (
    <div data-testid="password-checklist" style={{ fontSize: 12, lineHeight: '20px', margin: '-4px 0 10px' }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('password.policy')}
      </Typography.Text>
      {rules.map((r) => {
        const ok = props.password.length > 0 && !problems.has(r);
        return (
          <div key={r} data-ok={ok} style={{ color: ok ? '#389e0d' : '#8c8c8c' }}>
            {ok ? <CheckCircleFilled /> : <CloseCircleOutlined />} {label(passwordProblemLabels[r], r)}
          </div>
        );
      })}
    </div>
  );
}
