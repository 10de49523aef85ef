// A secret the server shows once (an API key, a webhook's signing secret): the
// value with a copy button and a button that hides it for good.
import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';

export interface ShownOnceProps {
  readonly title: string;
  /** Says that it is not shown again. */
  readonly note: string;
  readonly value: string;
  readonly labels: { readonly copy: string; readonly copied: string; readonly hide: string };
  /** Names the data attributes the page's tests find it by: data-new-<kind> and data-<kind>. */
  readonly kind: 'key' | 'secret';
  readonly onHide: () => void;
}

export function ShownOnce({ title, note, value, labels, kind, onHide }: ShownOnceProps) {
  return (
    <Alert color="yellow" title={title} {...{ [`data-new-${kind}`]: true }}>
      <Stack gap="xs">
        <Text size="sm">{note}</Text>
        <Group wrap="nowrap" align="flex-start">
          <Code block style={{ flex: 1, overflowX: 'auto' }} {...{ [`data-${kind}`]: true }}>
            {value}
          </Code>
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy}>
                {copied ? labels.copied : labels.copy}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Button size="xs" variant="default" w="fit-content" onClick={onHide}>
          {labels.hide}
        </Button>
      </Stack>
    </Alert>
  );
}
