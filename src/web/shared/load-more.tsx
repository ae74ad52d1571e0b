import { useEffect, useRef } from 'react';
import { Button, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SearchKind } from '../../shared/search.ts';

type Pages = { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };

/**
 * The end of a list paged by cursor: the next page loads by itself when this comes into view
 * (inside the list's scrolling box, or the window), with the button for keyboards and for
 * browsers without IntersectionObserver; "no more" once the server says so.
 */
export function LoadMore({
  pages,
  size,
  testId,
  empty,
}: {
  pages: Pages;
  size?: 'small';
  testId?: string;
  empty?: boolean;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage } = pages;
  const fetchNext = useRef(pages.fetchNextPage);
  fetchNext.current = pages.fetchNextPage;
  useEffect(() => {
    const el = ref.current;
    if (!el || !hasNextPage || isFetchingNextPage || typeof IntersectionObserver === 'undefined') return;
    // 200 px early, so the next rows are there before the reader reaches the end.
    const seen = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && fetchNext.current(), {
      rootMargin: '200px',
    });
    seen.observe(el);
    return () => seen.disconnect();
  }, [hasNextPage, isFetchingNextPage]);
  if (!hasNextPage)
    return empty ? null : (
      <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center', padding: 8, fontSize: 12 }}>
        {t('common.noMore')}
      </Typography.Text>
    );
  return (
    <Flex ref={ref} justify="center" style={{ padding: 8 }}>
      <Button size={size} loading={isFetchingNextPage} onClick={() => void pages.fetchNextPage()} data-testid={testId}>
        {isFetchingNextPage ? t('common.loadingMore') : t('common.loadMore')}
      </Button>
    </Flex>
  );
}

/** How a search was answered: an exact match through its own index, or full text (newest matches first). */
export function SearchKindNote({ kind, testId }: { kind: SearchKind | undefined; testId?: string }) {
  const { t } = useTranslation();
  if (!kind) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={testId} data-kind={kind}>
      {kind === 'text'
        ? t('common.searchNote.text')
        : t('common.searchNote.exact', { kind: t(`common.searchKind.${kind}`) })}
    </Typography.Text>
  );
}
