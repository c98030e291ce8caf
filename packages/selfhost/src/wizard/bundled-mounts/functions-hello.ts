// functions/hello/index.ts for the bundled template, written by supaops: the example function.

/** `/volumes/functions/hello/index.ts`: answers /functions/v1/hello with a greeting. */
export const FUNCTIONS_HELLO_TS = `// Example edge function of the supaops bundled Supabase template (written by supaops).
// POST /functions/v1/hello with {"name": "..."} (or any GET) answers {"message": "Hello ...!"}.

Deno.serve(async (req: Request) => {
  let name = 'world';
  if (req.method === 'POST') {
    try {
      const body = await req.json();
      if (body && typeof body.name === 'string' && body.name !== '') name = body.name;
    } catch {
      // no JSON body: greet the world
    }
  }
  return new Response(JSON.stringify({ message: 'Hello ' + name + '!' }), {
    headers: { 'Content-Type': 'application/json', Connection: 'keep-alive' },
  });
});
`;
