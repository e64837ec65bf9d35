import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** Debian's Chromium; playwright-core downloads no browser. */
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** What the page showed: each figure's id with its SVG's rendered size, and failed requests. */
export interface PageCheck {
  figures: { id: string; svgWidth: number; svgHeight: number; paths: number }[];
  sections: string[];
  requests: string[];
}

/**
 * Opens a report in headless Chromium (fresh profile, no network needed), records every
 * figure it renders and any request it makes, and saves a full-page screenshot.
 */
export async function checkReportInChromium(htmlFile: string, screenshot: string): Promise<PageCheck> {
  const profile = mkdtempSync(join(tmpdir(), 'ddopt-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1000, height: 800 } });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    const figures = await page.$$eval('figure.fig', (els) =>
      els.map((el) => {
        const svg = el.querySelector('svg[viewBox]') as SVGSVGElement | null;
        const box = svg?.getBoundingClientRect();
        return { id: el.getAttribute('data-figure-id') ?? '', svgWidth: box?.width ?? 0, svgHeight: box?.height ?? 0, paths: el.querySelectorAll('path, circle').length };
      }),
    );
    const sections = await page.$$eval('section.experiment', (els) => els.map((e) => e.id));
    await page.screenshot({ path: screenshot, fullPage: true });
    return { figures, sections, requests };
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
