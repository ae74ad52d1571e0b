import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { usePhone } from './use-phone.ts';
import { supportedLanguages } from '../i18n/language.ts';
import { useLanguage } from './use-language.ts';

/** 简体中文 / English; the choice is remembered in this browser. */
export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { t } = useTranslation();
  const [language, setLanguage] = useLanguage();
  const phone = usePhone();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [language],
        items: supportedLanguages.map((code) => ({
          key: code,
          label: <span data-testid={`lang-${code}`}>{t(`language.${code}`)}</span>,
        })),
        onClick: ({ key }) => setLanguage(key as typeof language),
      }}
    >
      <Button
        type="text"
        icon={<GlobalOutlined />}
        aria-label={t('language.label')}
        data-testid="lang-switch"
        style={dark ? { color: 'rgba(255,255,255,0.85)' } : undefined}
      >
        {!phone && t(`language.${language}`)}
      </Button>
    </Dropdown>
  );
}
