// Path parameters every door that speaks JSON over HTTP shares (the REST API and the Voki door):
// one definition, so the OpenAPI document names a resource's id the same way everywhere.
import { z } from '@hono/zod-openapi';

/** A resource's id in the path (`/…/{id}`): a uuid in the document, any string to the handler (an unknown one is a 404). */
export const IdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }),
});
