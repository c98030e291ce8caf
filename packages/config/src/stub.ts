// Temporary: the signatures are published first so the apps can build against them.
export function notYet(name: string): never {
  throw new Error(`@supaops/config: ${name} is not implemented yet`);
}
