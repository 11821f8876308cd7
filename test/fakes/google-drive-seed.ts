import type { FakeFile } from './google-server.ts';

/** The files the fake Google Drive starts with: a team folder with a Doc, a Sheet and Slides, a PDF, a text file, a trashed Doc. */
export const SEED = {
  folder: 'fold-team-0001',
  doc: 'doc-playbook-0001',
  sheet: 'sheet-budget-0001',
  slides: 'slides-kickoff-0001',
  pdf: 'pdf-contract-0001',
  text: 'txt-notes-0001',
  trashed: 'doc-oldplaybook-0001',
} as const;

export function seedFiles(): FakeFile[] {
  const at = '2025-05-01T10:00:00.000Z';
  return [
    { id: SEED.folder, name: 'Team Handbook', mimeType: 'application/vnd.google-apps.folder', parents: ['root'], content: '', modifiedTime: at },
    { id: SEED.doc, name: 'Incident Playbook', mimeType: 'application/vnd.google-apps.document', parents: [SEED.folder], modifiedTime: at,
      content: '# Incident Playbook\n\n1. Page the on-call engineer.\n2. Open a **status page** incident.\n' },
    { id: SEED.sheet, name: 'Budget 2025', mimeType: 'application/vnd.google-apps.spreadsheet', parents: [SEED.folder], modifiedTime: at,
      content: 'Team,Q1,Q2\nPlatform,120,140\nSupport,80,75\n' },
    { id: SEED.slides, name: 'Kickoff deck', mimeType: 'application/vnd.google-apps.presentation', parents: [SEED.folder], modifiedTime: at,
      content: 'Kickoff\n\nGoals for the quarter: ship the playbook bot.\n' },
    { id: SEED.pdf, name: 'Signed contract.pdf', mimeType: 'application/pdf', parents: ['root'], modifiedTime: at,
      content: '%PDF-1.4 fake' },
    { id: SEED.text, name: 'notes.txt', mimeType: 'text/plain', parents: ['root'], modifiedTime: at,
      content: 'Remember: the playbook lives in the Team Handbook folder.\n' },
    { id: SEED.trashed, name: 'Old Incident Playbook', mimeType: 'application/vnd.google-apps.document', parents: [SEED.folder], modifiedTime: at,
      content: 'outdated', trashed: true },
  ];
}
