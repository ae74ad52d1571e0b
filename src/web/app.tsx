import { App as AntApp, ConfigProvider } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { useLanguage } from './layout/use-language.ts';
import { antdLocales } from './shared/antd-locales.ts';
import { createQueryClient } from './shared/query-client.ts';
import { router } from './routes.tsx';

const queryClient = createQueryClient();

const theme = {
  token: {
    colorPrimary: '#1677ff',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { bodyBg: '#f5f7fa', siderBg: '#001529', headerBg: '#ffffff' },
  },
};

export function App() {
  const [language] = useLanguage();
  return (
    <ConfigProvider locale={antdLocales[language]} theme={theme}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
