import { useEffect, useMemo, useState } from 'react';
import { Menu, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useMe } from '../features/auth/session.ts';
import { allowed, findLeaf, isGroup, navigation } from './navigation.tsx';

type Item = Required<MenuProps>['items'][number];

export function SideMenu({ collapsed, onNavigate }: { collapsed: boolean; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { pathname } = useLocation();

  const items = useMemo<Item[]>(
    () =>
      navigation.flatMap((entry): Item[] => {
        if (!isGroup(entry)) {
          return allowed(entry, me.permissions)
            ? [{ key: entry.path, icon: entry.icon, label: t(`nav.${entry.label}`) }]
            : [];
        }
        const children = entry.children
          .filter((leaf) => allowed(leaf, me.permissions))
          .map((leaf) => ({ key: leaf.path, icon: leaf.icon, label: t(`nav.${leaf.label}`) }));
        return children.length ? [{ key: entry.key, icon: entry.icon, label: t(`nav.${entry.label}`), children }] : [];
      }),
    [me.permissions, t],
  );

  const selected = findLeaf(pathname)?.path;
  const group = navigation.find((entry) => isGroup(entry) && selected?.startsWith(`${entry.key}/`));
  const groupKey = group && isGroup(group) ? group.key : undefined;
  const [openKeys, setOpenKeys] = useState<string[]>(groupKey ? [groupKey] : []);
  useEffect(() => {
    // Open the group of the page we are on, also when we got there without the menu.
    if (groupKey) setOpenKeys((keys) => (keys.includes(groupKey) ? keys : [...keys, groupKey]));
  }, [groupKey]);

  return (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected] : []}
      {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
      onClick={({ key }) => {
        navigate(key);
        onNavigate?.();
      }}
    />
  );
}
