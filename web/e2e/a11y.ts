/**
 * Accessibility checks for the dashboard's e2e test: axe-core injected into the page, plus what axe
 * does not check itself (a title per page, headings without skipped levels).
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's violations of impact serious or critical on the page as it is now (WCAG 2.x A/AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResults> } })
      .axe;
    type AxeResults = {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)),
      }));
  });
}

/** Heading levels in document order; a jump of more than one level down (h1 → h3) is a skip. */
export async function headingSkips(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const skips: string[] = [];
    let previous = 0;
    for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
      if ((h as HTMLElement).closest('[hidden], [aria-hidden="true"]')) continue;
      const level = Number(h.tagName[1]);
      if (previous && level > previous + 1) skips.push(`h${previous} → h${level} "${h.textContent?.trim()}"`);
      previous = level;
    }
    return skips;
  });
}

/** Whether every element that can take focus by Tab is reachable (none has a negative tabindex by mistake). */
export async function unreachableControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
      .filter((el) => {
        const e = el as HTMLElement;
        if (e.closest('[hidden], [inert]') || e.getAttribute('disabled') !== null) return false;
        if (e.getClientRects().length === 0) return false;
        return e.tabIndex < 0;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/**
 * Every check above on the page as it is now, plus a title of the form "<page> · EvalForge", keyed by what
 * failed (`<name> title`, `<name> axe`…): {} when the page passes. Waits for its queries to settle first.
 */
export async function accessibilityProblems(page: Page, name: string): Promise<Record<string, unknown>> {
  await page.locator('h1').first().waitFor();
  // Let the page's queries settle (charts, tables) before judging it.
  await page.waitForLoadState('networkidle').catch(() => {});
  const problems: Record<string, unknown> = {};
  const title = await page.title();
  if (!/^.+ · EvalForge$/.test(title) || title === 'EvalForge') problems[`${name} title`] = title;
  const violations = await seriousViolations(page);
  if (violations.length)
    problems[`${name} axe`] = violations.map((v) => `${v.impact} ${v.id}: ${v.help} ${v.nodes.join(' ')}`);
  const skips = await headingSkips(page);
  if (skips.length) problems[`${name} headings`] = skips;
  const unreachable = await unreachableControls(page);
  if (unreachable.length) problems[`${name} keyboard`] = unreachable;
  return problems;
}
