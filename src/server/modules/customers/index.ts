/** Customers module: profiles across channels, PII encrypted per field and masked by role. */
export {
  customerByIdFill,
  customerForVisitor,
  toCustomer,
  displayName,
  findCustomerIds,
  getCustomerRow,
  maskEmail,
  maskName,
  maskPhone,
} from './service.ts';
export { customerRoutes } from './routes.ts';
