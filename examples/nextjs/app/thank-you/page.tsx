// A server component: the order comes from the server, and <ConversionOnView> reports it once.
import { ConversionOnView } from 'conversion-kit';

async function confirmedOrder(orderId: string) {
  // Yours: read the order from your database or payment provider.
  return { order_id: orderId, value: 129, currency: 'EUR' };
}

export default async function ThankYou({ searchParams }: { searchParams: Promise<{ order?: string }> }) {
  const { order: orderId } = await searchParams;
  const order = orderId ? await confirmedOrder(orderId) : undefined;
  return (
    <ConversionOnView conversion="purchase_completed" payload={order}>
      <h1>Thank you for your order</h1>
    </ConversionOnView>
  );
}
