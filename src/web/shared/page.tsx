import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

/** A page's title row (title, one-line description, actions on the right) and its body. */
export function Page({
  title,
  subtitle,
  extra,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div style={{ maxWidth: 1280, margin: '0 auto' }}>
      <Flex
        justify="space-between"
        align="flex-end"
        gap={16}
        wrap
        style={{ marginBottom: 16 }}
        data-testid="page-header"
      >
        <div style={{ flex: '1 1 280px', minWidth: 0 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
        </div>
        {extra && (
          <div
            style={{ flex: 'none', maxWidth: '100%', overflowX: 'auto', whiteSpace: 'nowrap' }}
            data-testid="page-extra"
          >
            {extra}
          </div>
        )}
      </Flex>
      {children}
    </div>
  );
}
