import type { RouteConfig, z } from '@hono/zod-openapi';
import { route as listAlerts } from './routes/alerts/list-alerts.ts';
import { route as listAudit } from './routes/audit/list-audit.ts';
import { route as changePassword } from './routes/auth/change-password.ts';
import { route as getMe } from './routes/auth/get-me.ts';
import { route as signIn } from './routes/auth/sign-in.ts';
import { route as signOut } from './routes/auth/sign-out.ts';
import { route as getAvailability } from './routes/availability/get-availability.ts';
import { route as replaceAvailability } from './routes/availability/replace-availability.ts';
import { route as completeBoardCallByPhone } from './routes/board/complete-board-call-by-phone.ts';
import { route as endBoardCall } from './routes/board/end-board-call.ts';
import { route as extendBoardCall } from './routes/board/extend-board-call.ts';
import { route as getBoardToday } from './routes/board/get-board-today.ts';
import { route as ringBoardParent } from './routes/board/ring-board-parent.ts';
import { route as streamBoard } from './routes/board/stream-board.ts';
import { route as addFamilySecondContact } from './routes/bookings/add-family-second-contact.ts';
import { route as addSecondContact } from './routes/bookings/add-second-contact.ts';
import { route as answerFamilyProposal } from './routes/bookings/answer-family-proposal.ts';
import { route as cancelBooking } from './routes/bookings/cancel-booking.ts';
import { route as cancelFamilyBooking } from './routes/bookings/cancel-family-booking.ts';
import { route as cancelSeries } from './routes/bookings/cancel-series.ts';
import { route as confirmBooking } from './routes/bookings/confirm-booking.ts';
import { route as confirmProposals } from './routes/bookings/confirm-proposals.ts';
import { route as createAdhocBooking } from './routes/bookings/create-adhoc-booking.ts';
import { route as createBooking } from './routes/bookings/create-booking.ts';
import { route as createFamilyBooking } from './routes/bookings/create-family-booking.ts';
import { route as createSeries } from './routes/bookings/create-series.ts';
import { route as declineBooking } from './routes/bookings/decline-booking.ts';
import { route as getAvailableSlots } from './routes/bookings/get-available-slots.ts';
import { route as getBooking } from './routes/bookings/get-booking.ts';
import { route as getCalendar } from './routes/bookings/get-calendar.ts';
import { route as getFamilyAvailableSlots } from './routes/bookings/get-family-available-slots.ts';
import { route as listBookings } from './routes/bookings/list-bookings.ts';
import { route as listFamilyBookings } from './routes/bookings/list-family-bookings.ts';
import { route as listProposals } from './routes/bookings/list-proposals.ts';
import { route as moveFamilyBooking } from './routes/bookings/move-family-booking.ts';
import { route as rescheduleBooking } from './routes/bookings/reschedule-booking.ts';
import { route as rescheduleSeries } from './routes/bookings/reschedule-series.ts';
import { route as searchHouseholds } from './routes/bookings/search-households.ts';
import { route as listChildCalls } from './routes/calls/list-child-calls.ts';
import { route as archiveChild } from './routes/children/archive-child.ts';
import { route as createChild } from './routes/children/create-child.ts';
import { route as deleteChildPhoto } from './routes/children/delete-child-photo.ts';
import { route as getChild } from './routes/children/get-child.ts';
import { route as getChildPhoto } from './routes/children/get-child-photo.ts';
import { route as getKioskChildPhoto } from './routes/children/get-kiosk-child-photo.ts';
import { route as intakeChild } from './routes/children/intake-child.ts';
import { route as listChildren } from './routes/children/list-children.ts';
import { route as putChildPhoto } from './routes/children/put-child-photo.ts';
import { route as updateChild } from './routes/children/update-child.ts';
import { route as approveContact } from './routes/contacts/approve-contact.ts';
import { route as clearContactPin } from './routes/contacts/clear-contact-pin.ts';
import { route as createContact } from './routes/contacts/create-contact.ts';
import { route as getContact } from './routes/contacts/get-contact.ts';
import { route as getContactPin } from './routes/contacts/get-contact-pin.ts';
import { route as listContacts } from './routes/contacts/list-contacts.ts';
import { route as recordConsent } from './routes/contacts/record-consent.ts';
import { route as revokeContact } from './routes/contacts/revoke-contact.ts';
import { route as setContactPin } from './routes/contacts/set-contact-pin.ts';
import { route as updateContact } from './routes/contacts/update-contact.ts';
import { route as createDiaryEntry } from './routes/diary/create-diary-entry.ts';
import { route as deleteDiaryEntry } from './routes/diary/delete-diary-entry.ts';
import { route as listDiaryEntries } from './routes/diary/list-diary-entries.ts';
import { route as updateDiaryEntry } from './routes/diary/update-diary-entry.ts';
import { route as createDistrictHome } from './routes/district/create-district-home.ts';
import { route as listDistrictHomes } from './routes/district/list-district-homes.ts';
import { route as setCurrentHome } from './routes/district/set-current-home.ts';
import { route as createDutyOverride } from './routes/duty/create-duty-override.ts';
import { route as deleteDutyOverride } from './routes/duty/delete-duty-override.ts';
import { route as getDutyOnDate } from './routes/duty/get-duty-on-date.ts';
import { route as getDutyPattern } from './routes/duty/get-duty-pattern.ts';
import { route as listDutyOverrides } from './routes/duty/list-duty-overrides.ts';
import { route as replaceDutyPattern } from './routes/duty/replace-duty-pattern.ts';
import { route as createEnrolmentLink } from './routes/family/create-enrolment-link.ts';
import { route as enrolFamilyDevice } from './routes/family/enrol-family-device.ts';
import { route as getFamilyAvailability } from './routes/family/get-family-availability.ts';
import { route as getFamilyMe } from './routes/family/get-family-me.ts';
import { route as joinFamilyCall } from './routes/family/join-family-call.ts';
import { route as listEnrolmentLinks } from './routes/family/list-enrolment-links.ts';
import { route as listFamilyContacts } from './routes/family/list-family-contacts.ts';
import { route as listFamilyDevices } from './routes/family/list-family-devices.ts';
import { route as replaceFamilyAvailability } from './routes/family/replace-family-availability.ts';
import { route as revokeEnrolmentLink } from './routes/family/revoke-enrolment-link.ts';
import { route as revokeFamilyDevice } from './routes/family/revoke-family-device.ts';
import { route as sendFamilyCode } from './routes/family/send-family-code.ts';
import { route as setFamilyPin } from './routes/family/set-family-pin.ts';
import { route as signOutFamily } from './routes/family/sign-out-family.ts';
import { route as streamFamily } from './routes/family/stream-family.ts';
import { route as verifyFamilyCode } from './routes/family/verify-family-code.ts';
import { route as getHealthz } from './routes/health/get-healthz.ts';
import { route as getHome } from './routes/home/get-home.ts';
import { route as updateHome } from './routes/home/update-home.ts';
import { route as archiveHousehold } from './routes/households/archive-household.ts';
import { route as createHousehold } from './routes/households/create-household.ts';
import { route as getContactCards } from './routes/households/get-contact-cards.ts';
import { route as getHousehold } from './routes/households/get-household.ts';
import { route as listHouseholds } from './routes/households/list-households.ts';
import { route as renameHousehold } from './routes/households/rename-household.ts';
import { route as joinKioskCall } from './routes/kiosk-calls/join-kiosk-call.ts';
import { route as listKioskCalls } from './routes/kiosk-calls/list-kiosk-calls.ts';
import { route as reportKioskCall } from './routes/kiosk-calls/report-kiosk-call.ts';
import { route as saveKioskMood } from './routes/kiosk-calls/save-kiosk-mood.ts';
import { route as createKiosk } from './routes/kiosks/create-kiosk.ts';
import { route as enrolKiosk } from './routes/kiosks/enrol-kiosk.ts';
import { route as getKioskMe } from './routes/kiosks/get-kiosk-me.ts';
import { route as listKiosks } from './routes/kiosks/list-kiosks.ts';
import { route as renewKioskEnrolment } from './routes/kiosks/renew-kiosk-enrolment.ts';
import { route as revokeKiosk } from './routes/kiosks/revoke-kiosk.ts';
import { route as updateKiosk } from './routes/kiosks/update-kiosk.ts';
import { route as createClosure } from './routes/opening/create-closure.ts';
import { route as createOpeningException } from './routes/opening/create-opening-exception.ts';
import { route as deleteOpeningException } from './routes/opening/delete-opening-exception.ts';
import { route as getOpening } from './routes/opening/get-opening.ts';
import { route as previewOpeningChange } from './routes/opening/preview-opening-change.ts';
import { route as replaceOpeningRules } from './routes/opening/replace-opening-rules.ts';
import { route as listOutbox } from './routes/outbox/list-outbox.ts';
import { route as createPairing } from './routes/pairings/create-pairing.ts';
import { route as deletePairing } from './routes/pairings/delete-pairing.ts';
import { route as listPairings } from './routes/pairings/list-pairings.ts';
import { endRoute as endQueueActions, grantRoute as grantQueueActions } from './routes/queues/grant-queue-actions.ts';
import { route as listQueues } from './routes/queues/list-queues.ts';
import { route as eraseChild } from './routes/records/erase-child.ts';
import { route as exportChild } from './routes/records/export-child.ts';
import { route as getCallBookCsv } from './routes/reports/get-call-book-csv.ts';
import { route as getMonthlySummary } from './routes/reports/get-monthly-summary.ts';
import { route as getMonthlySummaryCsv } from './routes/reports/get-monthly-summary-csv.ts';
import { route as getPairingRecordsCsv } from './routes/reports/get-pairing-records-csv.ts';
import { route as getReportSummary } from './routes/reports/get-report-summary.ts';
import { route as getRosterCsv } from './routes/reports/get-roster-csv.ts';
import { route as listCallBook } from './routes/reports/list-call-book.ts';
import { route as listPairingRecords } from './routes/reports/list-pairing-records.ts';
import { route as listRoster } from './routes/reports/list-roster.ts';
import type { RouteRefusal } from './routes/route-refusals.ts';
import { route as createStaff } from './routes/staff/create-staff.ts';
import { route as deactivateStaff } from './routes/staff/deactivate-staff.ts';
import { route as getStaff } from './routes/staff/get-staff.ts';
import { route as listStaff } from './routes/staff/list-staff.ts';
import { route as reactivateStaff } from './routes/staff/reactivate-staff.ts';
import { route as resetStaffPassword } from './routes/staff/reset-staff-password.ts';
import { route as updateStaff } from './routes/staff/update-staff.ts';

const ROUTES = [
  getBoardToday,
  streamBoard,
  ringBoardParent,
  endBoardCall,
  extendBoardCall,
  completeBoardCallByPhone,
  clearContactPin,
  getContactPin,
  setContactPin,
  setFamilyPin,
  listAlerts,
  listAudit,
  changePassword,
  getMe,
  signIn,
  signOut,
  getAvailability,
  replaceAvailability,
  cancelBooking,
  cancelFamilyBooking,
  cancelSeries,
  createAdhocBooking,
  createBooking,
  createFamilyBooking,
  createSeries,
  getAvailableSlots,
  getBooking,
  getFamilyAvailableSlots,
  listBookings,
  listFamilyBookings,
  moveFamilyBooking,
  addFamilySecondContact,
  addSecondContact,
  answerFamilyProposal,
  rescheduleBooking,
  rescheduleSeries,
  confirmBooking,
  declineBooking,
  confirmProposals,
  listProposals,
  getCalendar,
  searchHouseholds,
  listChildCalls,
  archiveChild,
  createChild,
  intakeChild,
  getChild,
  listChildren,
  updateChild,
  putChildPhoto,
  deleteChildPhoto,
  getChildPhoto,
  getKioskChildPhoto,
  listDiaryEntries,
  createDiaryEntry,
  updateDiaryEntry,
  deleteDiaryEntry,
  approveContact,
  createContact,
  getContact,
  listContacts,
  recordConsent,
  revokeContact,
  updateContact,
  createDutyOverride,
  deleteDutyOverride,
  getDutyOnDate,
  getDutyPattern,
  listDutyOverrides,
  replaceDutyPattern,
  createEnrolmentLink,
  enrolFamilyDevice,
  getFamilyMe,
  streamFamily,
  getFamilyAvailability,
  replaceFamilyAvailability,
  listFamilyContacts,
  joinFamilyCall,
  listEnrolmentLinks,
  listFamilyDevices,
  revokeEnrolmentLink,
  revokeFamilyDevice,
  sendFamilyCode,
  signOutFamily,
  verifyFamilyCode,
  getHealthz,
  getHome,
  updateHome,
  archiveHousehold,
  createHousehold,
  getHousehold,
  getContactCards,
  listHouseholds,
  renameHousehold,
  joinKioskCall,
  listKioskCalls,
  reportKioskCall,
  saveKioskMood,
  createKiosk,
  enrolKiosk,
  getKioskMe,
  listKiosks,
  renewKioskEnrolment,
  revokeKiosk,
  updateKiosk,
  listQueues,
  grantQueueActions,
  endQueueActions,
  createOpeningException,
  deleteOpeningException,
  getOpening,
  replaceOpeningRules,
  createClosure,
  previewOpeningChange,
  listOutbox,
  createPairing,
  deletePairing,
  listPairings,
  eraseChild,
  exportChild,
  getReportSummary,
  listRoster,
  getRosterCsv,
  listCallBook,
  getCallBookCsv,
  listPairingRecords,
  getPairingRecordsCsv,
  getMonthlySummary,
  getMonthlySummaryCsv,
  createStaff,
  listDistrictHomes,
  createDistrictHome,
  setCurrentHome,
  deactivateStaff,
  getStaff,
  listStaff,
  reactivateStaff,
  resetStaffPassword,
  updateStaff,
] as const;

/**
 * The API contract: every `/api` route's method, path, inputs, success answer and refusal reasons,
 * derived from the route modules' `createRoute` configs (their zod schemas). The front ends import
 * the type only (`import type { ApiContract }`) and call the API through the typed client of
 * `@affection/ui`; tests use the same types. Nothing here is written by hand but this list.
 */

type JsonSchemaOf<T> = T extends { content: { 'application/json': { schema: infer S extends z.ZodType } } } ? S : never;

type SuccessStatus = 200 | 201 | 202 | 204 | '200' | '201' | '202' | '204';

type InputOf<S> = [S] extends [never] ? never : S extends z.ZodType ? z.input<S> : never;

/** The success answer's body (`undefined` for 204). */
type ResponseOf<R extends RouteConfig> = {
  [S in keyof R['responses']]: S extends SuccessStatus
    ? [JsonSchemaOf<R['responses'][S]>] extends [never]
      ? undefined
      : z.output<JsonSchemaOf<R['responses'][S]>>
    : never;
}[keyof R['responses']];

type RequestOf<R extends RouteConfig> = R['request'] extends object ? R['request'] : Record<never, never>;

type RefusalOf<R> = R extends { 'x-refusals': readonly RouteRefusal[] } ? R['x-refusals'][number]['reason'] : never;

/** One route of the contract. `never` marks an input the route does not take. */
export interface RouteContract<R extends RouteConfig = RouteConfig> {
  method: Uppercase<R['method']>;
  path: R['path'];
  /** Path parameters, e.g. `{ id }` for `/api/children/{id}`. */
  params: RequestOf<R> extends { params: infer S } ? InputOf<S> : never;
  /** Query string fields. */
  query: RequestOf<R> extends { query: infer S } ? InputOf<S> : never;
  /** JSON body. */
  body: InputOf<JsonSchemaOf<RequestOf<R> extends { body: infer B } ? B : never>>;
  /** What a success answers. */
  response: ResponseOf<R>;
  /** `details.reason` of the route's published refusals (`x-refusals`). */
  refusal: RefusalOf<R>;
}

/** The contract of a union of route configs, keyed `"METHOD /path"`. */
export type ContractOf<R extends RouteConfig> = {
  [Route in R as `${Uppercase<Route['method']>} ${Route['path']}`]: RouteContract<Route>;
};

/** Every route config in the contract (a test checks it lists every route the app registers). */
export const CONTRACT_ROUTES: readonly RouteConfig[] = ROUTES;

/** The whole API: `ApiContract['GET /api/children/{id}']['response']` is a child as the API shows it. */
export type ApiContract = ContractOf<(typeof ROUTES)[number]>;

/** A route key of the contract, e.g. `"POST /api/kiosk/calls/{id}/join"`. */
export type ApiRoute = keyof ApiContract;

/** The success body of a route. */
export type ApiResponse<K extends ApiRoute> = ApiContract[K]['response'];

/** The JSON body a route takes. */
export type ApiBody<K extends ApiRoute> = ApiContract[K]['body'];
