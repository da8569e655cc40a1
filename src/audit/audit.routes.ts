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
    const query = parse(auditQuery, req.query);
    const filter = { action: query.action, recordType: query.type, recordId: query.id, actor: query.actor };
    const { entries, more } = await audit.list(filter, query.page);
    const pageLink = (page: number) => {
      const params = Object.entries({ action: query.action, type: query.type, id: query.id, actor: query.actor }).filter(([, v]) => v !== undefined);
      return `${PAGE}?${new URLSearchParams([...(params as [string, string][]), ['page', String(page)]])}`;
    };
    res.render('admin/audit', {
      title: 'Audit log',
      entries,
      page: query.page,
      newer: query.page > 1 ? pageLink(query.page - 1) : undefined,
      older: more ? pageLink(query.page + 1) : undefined,
      values: { action: query.action, type: query.type, id: query.id, actor: query.actor },
      errors: {},
    });
  });

  return router;
}
