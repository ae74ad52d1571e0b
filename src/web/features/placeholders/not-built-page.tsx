import { Card, Result } from 'antd';
import { ToolOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Page } from '../../shared/page.tsx';
import { zhCN, type Messages } from '../../i18n/zh-CN.ts';

const comingText = zhCN.notBuilt.coming;

/** An honest page for a part of the product that does not exist yet: no fake data. */
export function NotBuiltPage({ page }: { page: keyof Messages['nav'] }) {
  const { t } = useTranslation();
  const name = t(`nav.${page}`);
  return (
    <Page title={name}>
      <Card>
        <Result
          data-testid="not-built"
          icon={<ToolOutlined style={{ color: '#bfbfbf' }} />}
          title={t('notBuilt.title')}
          subTitle={
            <>
              <div>{t('notBuilt.description', { page: name })}</div>
              {page in comingText && <div>{t(`notBuilt.coming.${page as keyof typeof comingText}`)}</div>}
            </>
          }
        />
      </Card>
    </Page>
  );
}
