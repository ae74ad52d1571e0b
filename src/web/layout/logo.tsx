import { CustomerServiceFilled } from '@ant-design/icons';

/** "Kefu 客服" with a mark; `compact` shows the mark only (collapsed menu). */
export function Logo({ compact = false, dark = true }: { compact?: boolean; dark?: boolean }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 10, whiteSpace: 'nowrap', overflow: 'hidden' }}>
      <span
        style={{
          display: 'inline-flex',
          alignItems: 'center',
          justifyContent: 'center',
          flex: 'none',
          width: 32,
          height: 32,
          borderRadius: 8,
          background: '#1677ff',
          color: '#fff',
          fontSize: 18,
        }}
      >
        <CustomerServiceFilled />
      </span>
      {!compact && (
        <span style={{ fontSize: 18, fontWeight: 600, color: dark ? '#fff' : 'rgba(0,0,0,0.88)', letterSpacing: 0.5 }}>
          Kefu <span style={{ fontWeight: 500 }}>客服</span>
        </span>
      )}
    </div>
  );
}
