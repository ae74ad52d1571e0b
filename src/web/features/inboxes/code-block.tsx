import { Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';

/** A snippet to paste somewhere else, monospace, with a copy button. */
export function CodeBlock({ code, testId }: { code: string; testId?: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <div
      style={{
        position: 'relative',
        background: '#f6f8fa',
        border: `1px solid ${token.colorBorderSecondary}`,
        borderRadius: 6,
      }}
    >
      <pre
        data-testid={testId}
        style={{
          margin: 0,
          padding: '10px 40px 10px 12px',
          fontSize: 12.5,
          lineHeight: 1.6,
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
          fontFamily: token.fontFamilyCode,
        }}
      >
        {code}
      </pre>
      <Typography.Text
        copyable={{ text: code, tooltips: [t('common.copy'), t('common.copied')] }}
        style={{ position: 'absolute', top: 6, right: 10 }}
      />
    </div>
  );
}
