import { describe, expect, it } from 'vitest';
import { annotationsFor } from './annotations.js';
import { selectTools } from './filter.js';
import { listedTool } from './listing.js';
import { hasInstanceArg, inputSchemaFor, outputSchemaFor } from './schemas.js';
import { TOOLS } from './tools.js';
import { FEATURE_GROUPS } from './types.js';

const GROUPS_NOW = [
  'instances',
  'database',
  'migrations',
  'backups',
  'keys',
  'development',
  'selfhost',
];

describe('the tool registry', () => {
  it('holds each tool once, snake_case, with a group, a short description and all four annotations', () => {
    const names = TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const tool of TOOLS) {
      expect(tool.name).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(FEATURE_GROUPS).toContain(tool.group);
      expect(tool.title.length).toBeGreaterThan(0);
      expect(tool.description.length).toBeLessThanOrEqual(160);
      expect(Object.keys(tool.annotations).sort()).toEqual([
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
        'readOnlyHint',
      ]);
      if (tool.write) expect(tool.annotations.readOnlyHint).toBe(false);
      if (tool.annotations.readOnlyHint) expect(tool.write).toBe(false);
      // a destructive write tool always asks first
      if (tool.write && tool.annotations.destructiveHint) expect(tool.confirm).toBeDefined();
      if (tool.confirm) {
        expect(tool.dryRun).toBeDefined();
        expect(tool.confirmWhen).toBeDefined();
      }
    }
    expect(new Set(TOOLS.map((t) => t.group))).toEqual(new Set(GROUPS_NOW));
  });

  it('--read-only removes exactly the write tools', () => {
    const kept = selectTools(TOOLS, { readOnly: true });
    expect(kept.map((t) => t.name)).toEqual(TOOLS.filter((t) => !t.write).map((t) => t.name));
    expect(kept.some((t) => t.name === 'execute_sql')).toBe(true);
    expect(kept.some((t) => t.name === 'restore_backup')).toBe(false);
    for (const t of kept) expect(annotationsFor(t, true).readOnlyHint).toBe(true);
    expect(annotationsFor(TOOLS.find((t) => t.name === 'execute_sql')!, false).readOnlyHint).toBe(
      false,
    );
  });

  it('--features keeps only the named groups; groups without tools select nothing', () => {
    const kept = selectTools(TOOLS, { features: ['keys', 'development'] });
    expect(new Set(kept.map((t) => t.group))).toEqual(new Set(['keys', 'development']));
    expect(selectTools(TOOLS, { features: ['dokploy'] })).toEqual([]);
    expect(selectTools(TOOLS, {})).toHaveLength(TOOLS.length);
  });

  it('--instance drops the instance argument from every schema', () => {
    for (const tool of TOOLS) {
      const scoped = listedTool(tool, { instance: 'prod' }).inputSchema.properties ?? {};
      expect(scoped).not.toHaveProperty('instance');
      expect(Object.keys(inputSchemaFor(tool, { instance: 'prod' }).shape)).not.toContain(
        'instance',
      );
      if (hasInstanceArg(tool)) {
        expect(listedTool(tool, {}).inputSchema.properties).toHaveProperty('instance');
      }
    }
  });

  it('confirmed tools take a confirmationToken and may answer with a confirmation', () => {
    for (const tool of TOOLS.filter((t) => t.confirm)) {
      expect(inputSchemaFor(tool, {}).shape).toHaveProperty('confirmationToken');
      expect(outputSchemaFor(tool).shape).toHaveProperty('confirmation');
    }
    for (const tool of TOOLS) {
      expect(outputSchemaFor(tool).safeParse({ error: { code: 'X', message: 'y' } }).success).toBe(
        true,
      );
    }
  });

  it('tools/list stays under 800 bytes per tool with every group on', () => {
    // as the bench measures the served answer: UTF-8 bytes of the whole tools/list result
    const bytes = Buffer.byteLength(JSON.stringify({ tools: TOOLS.map((t) => listedTool(t, {})) }));
    expect(bytes / TOOLS.length).toBeLessThanOrEqual(800);
    const one = listedTool(TOOLS[0]!, {});
    expect(JSON.stringify(one)).not.toContain('$schema');
    expect(one.annotations).toEqual(TOOLS[0]!.annotations);
  });
});
