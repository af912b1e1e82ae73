// The scenario picker for `afu9-tui --sandbox` without an id.

import { Box, Text, useInput } from "ink";
import SelectInput from "ink-select-input";
import type { Catalog } from "./i18n.js";

export interface PickerProps {
  t: Catalog;
  scenarios: { id: string; description: string }[];
  rows: number;
  cols: number;
  onPick(id: string): void;
  onQuit(): void;
}

export function Picker({ t, scenarios, rows, cols, onPick, onQuit }: PickerProps) {
  useInput((input, key) => {
    if (input === "q" || key.escape || (key.ctrl && input === "c")) onQuit();
  });
  const frame = Math.max(6, rows - 1);
  const limit = Math.max(3, frame - 4);
  const idW = Math.max(...scenarios.map((s) => s.id.length)) + 2;
  const items = scenarios.map((s) => ({
    key: s.id,
    value: s.id,
    label: `${s.id.padEnd(idW)}${s.description}`.slice(0, Math.max(10, cols - 4)),
  }));
  return (
    <Box flexDirection="column" height={frame} width={cols}>
      <Text bold inverse>
        {` ${t.appName} — ${t.picker} `}
      </Text>
      <Text> </Text>
      <Box height={limit} flexDirection="column" overflow="hidden">
        <SelectInput items={items} limit={limit} onSelect={(item) => onPick(item.value)} />
      </Box>
      <Text dimColor wrap="truncate-end">
        {t.pickerHint}
      </Text>
    </Box>
  );
}
