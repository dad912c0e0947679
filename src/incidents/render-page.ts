import { buildPage } from '../../blocks/incident';
import type { PageRenderer } from './steps';

/** How the incident flows render a page (a DM or a group mention, with Acknowledge and Resolve). */
export const renderPage: PageRenderer = (p) => buildPage(p.incident, p.to, p.levelName, p.reason, p.level);
