import { GantryError } from '../errors/index.js';
import { postgresProvider } from './postgres.js';
import type { ServiceProvider } from './provider.js';
import { rabbitmqProvider } from './rabbitmq.js';
import { redisProvider } from './redis.js';

/** Every native service provider, tried in order. */
export const serviceProviders: readonly ServiceProvider[] = [
  postgresProvider,
  redisProvider,
  rabbitmqProvider,
];

/** The provider for `image`, or a GantryError listing the images Gantry can run natively. */
export function providerFor(
  image: string,
  id: string,
  providers: readonly ServiceProvider[] = serviceProviders,
): ServiceProvider {
  const provider = providers.find((p) => p.matches(image));
  if (provider) return provider;
  const supported = providers.flatMap((p) => p.images).join(', ');
  return unsupported(image, id, supported);
}

function unsupported(image: string, id: string, supported: string): never {
  throw new GantryError(
    'GANTRY_SERVICE_UNSUPPORTED',
    `service '${id}' uses image '${image}', which Gantry cannot run without containers`,
    {
      hint: `Gantry runs these service images natively with the host's servers: ${supported}. Start other services yourself on localhost, or remove the service`,
    },
  );
}
