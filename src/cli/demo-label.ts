/**
 * The demo's labelling section: the scripted expert records a few episodes in the tabletop
 * simulator at the LAM's frame size, the agent's frozen LAM labels every transition (no action is
 * read), and the label report (code histogram with the expert's mean action per code, example
 * strip) plus a histogram plot go to the report folder. The expert's actions are only used to
 * say what each code turned out to mean.
 */
import { join } from 'node:path';
import { readAgentSpec } from '../agent/bundle.ts';
import { barChartSvg } from '../eval/svg.ts';
import { labelDataset, openLam } from '../label/dataset.ts';
import type { LabelReport } from '../label/report.ts';
import { parseTaskKind } from '../sim/tasks.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { generateDataset } from './dataset-generate.ts';

export interface DemoLabelOptions {
  /** Latent agent bundle whose LAM labels (its recorded eval task and scene are used). */
  agent: string;
  episodes: number;
  seed: number;
  /** Folder the generated episodes are written to (replaced). */
  data: string;
  /** Report folder (the label report goes to <report>/labels). */
  report: string;
  log?: (s: string) => void;
}

export interface DemoLabel {
  task: string;
  size: { width: number; height: number };
  report: LabelReport;
  files: { markdown: string; strip: string; plot: string };
}

export async function demoLabel(o: DemoLabelOptions): Promise<DemoLabel> {
  const spec = readAgentSpec(o.agent);
  const task = parseTaskKind(spec.eval?.task.split(',')[0]?.trim() ?? 'reach');
  const lam = openLam(o.agent).model;
  const size = { width: lam.cfg.width, height: lam.cfg.height };
  const scene = spec.eval?.sim ?? {};
  const sim = { width: size.width, height: size.height, ...(scene.blocks ? { blocks: scene.blocks } : {}), ...(scene.zones ? { zones: scene.zones } : {}) };
  await generateDataset(o.data, { task, episodes: o.episodes, seed: o.seed, noise: 0.1, sim }, 'png', true); // noise: lara dataset generate's default
  const reportDir = join(o.report, 'labels');
  const r = await labelDataset(o.data, { lam: o.agent, reportDir, ...(o.log ? { log: o.log } : {}) });
  const plot = join(reportDir, 'codes.svg');
  const bars = r.report.perCode.map((c) => ({ label: `code ${c.code}`, value: c.count }));
  writeFileAtomic(plot, barChartSvg({ title: `LAM codes on ${r.report.transitions} transitions (${task}, ${o.episodes} episodes)`, yLabel: 'transitions', bars }));
  return { task, size, report: r.report, files: { markdown: join(reportDir, 'report.md'), strip: join(reportDir, 'strip.png'), plot } };
}
