// Stands for your CRM: the form's conversion fires only once this answers 2xx.
export async function POST(request: Request) {
  const data = await request.formData();
  if (!String(data.get('email') ?? '').includes('@')) return Response.json({ error: 'email' }, { status: 400 });
  return Response.json({ ok: true }, { status: 201 });
}
