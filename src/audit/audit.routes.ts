// GET /admin/audit: the audit log, newest first, 50 a page, filtered by action, record and actor
// (the /admin guard is in admin/admin.router.ts). A bad filter shows the page again with its message.
import { type Request, Router } from 'express';
import { type FormView, showsForm } from '../http/forms.js';
import { parse } from '../http/validate.js';
import type { AuditRepository } from './audit.repository.js';
import { auditQuery } from './audit.schemas.js';

const PAGE = '/admin/audit';

export function createAuditRouter({ audit }: { audit: AuditRepository }): Router {
  const router = Router();

  // The refused filter's page: no entries, the filters as typed (GET has no body to echo).
  const refusedView = (req: Request): FormView => ({
    view: 'admin/audit',
    locals: { title: 'Audit log', entries: [], page: 1, newer: undefined, older: undefined },
    values: req.query,
  });

  router.get(PAGE, showsForm(refusedView), async (req, res) => {
    const { page, ...values } = parse(auditQuery, req.query);
    const { entries, more } = await audit.list({ action: values.action, recordType: values.type, recordId: values.id, actor: values.actor }, page);
    const given = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const pageLink = (to: number) => `${PAGE}?${new URLSearchParams([...given, ['page', String(to)]])}`;
    res.render('admin/audit', {
      title: 'Audit log',
      entries,
      page,
      newer: page > 1 ? pageLink(page - 1) : undefined,
      older: more ? pageLink(page + 1) : undefined,
      values,
      errors: {},
    });
  });

  return router;
}
