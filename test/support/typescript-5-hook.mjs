// Node module hook for the OpenAPI type generator only: openapi-typescript builds its output with the
// TypeScript 5 compiler API, which TypeScript 7 (our type checker, a native binary) no longer ships.
// Its `typescript` import is pointed at the `typescript-5` alias; nothing else sees it.
export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/openapi-typescript/')) {
    return next('typescript-5', context);
  }
  return next(specifier, context);
}
