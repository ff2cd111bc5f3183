export {
  JobServices,
  startServices,
  type ServiceContext,
  type StartServicesOptions,
} from './start-services.js';
export { providerFor, serviceProviders } from './registry.js';
export type {
  RunningService,
  ServiceProvider,
  ServiceSpec,
  ServiceStartContext,
} from './provider.js';
