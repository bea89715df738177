/**
 * The demo workspace's knowledge base: the help centre of an online clothing store.
 *
 * Derived from the store policies of ABCD, the Action-Based Conversations Dataset (ASAPP Research, MIT licence,
 * https://github.com/asappresearch/abcd): its agent guidelines and knowledge-base actions describe what such a
 * store does about returns, refunds, shipping, membership tiers, promo codes and account access. The text below
 * is our own, written for customers; prices and opening hours the dataset does not give are invented for the demo.
 */
import type { Pool } from './connection.ts';
import { KnowledgeRepository, type KnowledgeArticleInput, type KnowledgeText } from './knowledge.ts';

type DemoEntry = Omit<KnowledgeArticleInput, 'language' | 'status'>;

const faq = (category: string, title: string, body: string, tags: string[] = []): DemoEntry => ({ kind: 'faq', category, title, body, tags });
const article = (category: string, title: string, body: string, tags: string[] = []): DemoEntry => ({ kind: 'article', category, title, body, tags });

const ENGLISH: DemoEntry[] = [
  // ---- Returns and refunds ------------------------------------------------------------------------------------
  article(
    'Returns & refunds',
    'Returns and exchanges',
    `Changed your mind, got the wrong size, or found a flaw? You can send most items back.

## How long you have

How long you have to return an item depends on your membership level:

- **Gold**: no time limit, return whenever you like.
- **Silver**: within 6 months of purchase.
- **Bronze**: within 90 days of purchase.
- **Guest**: within 30 days of purchase.

Silver and Bronze members can also return an item after that time if they still have the receipt or the item is in its original packaging. Guests can if they have the receipt.

## How to send it back

Choose what suits you:

1. **By mail**: we email you a prepaid shipping label for the address on your account. Print it and drop the parcel at any post office.
2. **In store**: bring the item to any of our stores.
3. **Drop-off centre**: leave the parcel at a partner drop-off point near you.

Once we receive the item, your refund starts (see *How will I get my refund?*).`,
    ['return', 'exchange', 'send back', 'wrong size', 'wrong colour', 'stain', 'damaged'],
  ),
  faq(
    'Returns & refunds',
    'What is your return policy?',
    `Gold members can return items at any time. Silver members have 6 months, Bronze members 90 days and guests 30 days from the purchase date. After that, Silver and Bronze members can still return an item with its receipt or in its original packaging, and guests with a receipt. Items can go back by mail with a free label, in any store, or at a drop-off centre.`,
    ['return window', 'how long to return', 'return period'],
  ),
  faq(
    'Returns & refunds',
    'How do I return an item?',
    `Tell us which order and item you want to return and how you'd like to send it: by mail (we email a prepaid label to print; we need your full address for it), in one of our stores, or at a drop-off centre. Pack the item, ideally in its original packaging, and keep the receipt until your refund arrives.`,
    ['shipping label', 'return label', 'drop off', 'send back'],
  ),
  faq(
    'Returns & refunds',
    'How will I get my refund?',
    `You choose how we pay you back:

- **Card**: straight back to the credit card on your account.
- **Store credit**: added to your account balance to spend on your next order.
- **Gift card**: a prepaid gift card posted to your address.
- **Paper check**: a check posted to your address.

For a gift card or a check we need your full postal address; for card or store credit, your account ID.`,
    ['refund method', 'money back', 'refund policy', 'gift card', 'check', 'store credit'],
  ),
  faq(
    'Returns & refunds',
    'How do I check the status of my refund?',
    `Every refund is either *not started*, *in progress* or *complete*. Send us your username, email address and order ID and we'll tell you where yours is and whether it was requested online, by phone or in chat. If you're not happy with how it's going, ask us to pass it to a manager.`,
    ['refund status', 'where is my refund', 'refund not received'],
  ),
  faq(
    'Returns & refunds',
    'Can I add another item to a refund I already started?',
    `Yes. Tell us the brand and type of the extra item (for example "Guess jeans") and its price. We add it to your existing refund, so the total becomes the earlier amount plus the new item's price.`,
    ['extra item', 'add to refund'],
  ),
  faq(
    'Returns & refunds',
    "I returned an item but haven't received my money",
    `Refunds can take up to 7 days to show on your statement after we receive the item. If it has been longer than that, contact us with your order ID and we'll credit you straight away. Gold members are credited at once even within the 7 days.`,
    ['credit not received', 'refund late'],
  ),
  faq(
    'Returns & refunds',
    'I was charged for an order I never placed',
    `Send us your username, email address and the order ID on the charge. We check our records: if the order wasn't yours, we remove the charge and credit your account. Gold members are credited right away while we look into it.`,
    ['unknown charge', 'not my order', 'billing problem'],
  ),

  // ---- Orders ---------------------------------------------------------------------------------------------------
  faq(
    'Orders',
    'Why is there an extra fee on my order?',
    `Prices can rise briefly at busy times, and some delivery options add a fee. If you think a fee was added by mistake, send us your order ID and the amount. When we made the mistake we remove the fee; Gold and Silver members always have unexpected fees removed.`,
    ['extra charge', 'overcharged', 'surcharge'],
  ),
  faq(
    'Orders',
    'Can I change the delivery time of my order?',
    `Often, yes: before your order is out for delivery we can move it to another day, or from a morning to an evening slot. Send us your full name, account ID and order ID. Once it is out for delivery the time can no longer be changed.`,
    ['delivery date', 'delivery time', 'reschedule delivery', 'evening delivery', 'morning'],
  ),
  faq(
    'Orders',
    'What does the status of my order mean?',
    `- **Order received**: we have your order and are preparing it; you can still change it.
- **In transit**: it has left our warehouse.
- **Out for delivery**: the courier will bring it today.
- **Delivered**: the courier marked it as delivered.

If an email about your order looks wrong (the wrong address, date or item), send us the order ID and we'll check it and fix it if needed.`,
    ['order status', 'track order', 'where is my order', 'in transit', 'out for delivery', 'delivered', 'shipment'],
  ),
  faq(
    'Orders',
    'My order confirmation shows the wrong quantity',
    `Sometimes the confirmation email is wrong and you were only charged for what you ordered; we'll check. If you really were charged for extra items: while the order hasn't shipped we remove them and refund you at once. If it has shipped, wait for the parcel and return the extra items for a refund; Bronze, Silver and Gold members get the refund right away.`,
    ['quantity', 'ordered two', 'duplicate item', 'confirmation email'],
  ),
  faq(
    'Orders',
    'Can I add an item to an order I already placed?',
    `If your order hasn't shipped yet, tell us the brand and item (say "Calvin Klein shirt") and we add it to the same order. If it has already shipped, we place a separate order for the new item; for Silver and Gold members that second delivery is free.`,
    ['add item', 'add to order', 'forgot something'],
  ),
  faq(
    'Orders',
    'I ordered two by mistake. Can I cancel one?',
    `Yes. While the order is still being prepared we remove the extra item and refund it. Once it has shipped, Bronze, Silver and Gold members get the refund straight away and return the extra item after it arrives; guests wait for the parcel, then return the item for a refund.`,
    ['cancel item', 'cancel order', 'accidental order', 'duplicate'],
  ),
  faq(
    'Orders',
    'Can I change my order or its address after it shipped?',
    `Tell us what needs to change: the delivery address, or the item if you ordered the wrong one. We update the order and you'll get a notification confirming it. Changes are easiest before the order is out for delivery.`,
    ['change order', 'wrong item', 'update shipment', 'change delivery address'],
  ),

  // ---- Shipping -------------------------------------------------------------------------------------------------
  article(
    'Shipping',
    'Shipping options, times and costs',
    `## Options

- **Standard**: $8.00, arrives in 3 to 5 working days. Free on orders over $75.
- **Next week**: free, for orders that can wait.
- **Overnight**: $20.00, arrives the next working day when ordered before 2 pm. Free for Gold members.

## After you order

Your order goes from *order received* to *in transit*, *out for delivery* and *delivered*; we email you at each step. Parcels sometimes show as delivered a day or two before they arrive.

## International orders

We ship to most countries. Delivery abroad takes 7 to 14 working days and its cost is shown at checkout; Gold members ship free to and from other countries.`,
    ['shipping cost', 'delivery time', 'how long does delivery take', 'shipping fee', 'overnight', 'free shipping'],
  ),
  faq(
    'Shipping',
    'How much does shipping cost?',
    `Standard shipping costs $8.00 and is free on orders over $75. Overnight shipping costs $20.00 (free for Gold members). If you think you paid too much for shipping, contact us before the parcel is out for delivery and we can waive the fee; after that we can refund part of it.`,
    ['shipping fee', 'delivery cost', 'free shipping', 'shipping too expensive', 'waive fee'],
  ),
  faq(
    'Shipping',
    'Can I upgrade to overnight shipping?',
    `Yes, as long as your order hasn't shipped yet. Overnight shipping costs $20, charged to the card on your account; it's free for Gold members. If the order is already on its way, it will usually arrive within a day or two anyway.`,
    ['overnight', 'faster delivery', 'express shipping', 'upgrade shipping'],
  ),
  faq(
    'Shipping',
    'Can I choose slower delivery to save on shipping?',
    `If your order hasn't shipped, we can move it to next-week delivery, which is free. If it has already shipped, Bronze, Silver and Gold members get the shipping fee back as credit on their account.`,
    ['downgrade shipping', 'cheaper shipping', 'delay delivery', 'next week'],
  ),
  faq(
    'Shipping',
    "My package says delivered but I haven't received it",
    `Parcels are sometimes marked as delivered a couple of days before they actually arrive, so please wait up to 7 days and check with neighbours. If it still hasn't come after a week, contact us with your order ID and full address and we'll send the items again free of charge.`,
    ['missing package', 'not delivered', 'lost parcel', 'not arrived'],
  ),
  faq(
    'Shipping',
    'Do you ship internationally?',
    `Yes, we ship to most countries; delivery takes 7 to 14 working days and the cost is shown at checkout. Gold members get free shipping to and from other countries, including returns. You can see what your membership includes at www.example-shop.com/faq/membership.`,
    ['international shipping', 'ship abroad', 'overseas', 'other countries'],
  ),

  // ---- Payment and billing --------------------------------------------------------------------------------------
  faq(
    'Payment & billing',
    'What payment methods do you accept?',
    `We accept credit cards, debit cards and PayPal. You can keep one of them on your account for faster checkout and change it at any time.`,
    ['pay', 'paypal', 'credit card', 'debit card', 'payment options'],
  ),
  faq(
    'Payment & billing',
    'Can I change the payment method on my order?',
    `While your order is *order received* or *in transit*, we can switch it to another credit card, debit card or PayPal straight away. Once it is out for delivery or delivered, the new method applies to your future orders only.`,
    ['change payment', 'wrong card', 'payment method'],
  ),
  faq(
    'Payment & billing',
    'How do I update the payment method on my account?',
    `Tell us the payment method you have on file now (credit card, debit card or PayPal) and the new one. To protect your account we first confirm it's you: have three of these ready: your phone number, PIN, username, password, or the order ID of an earlier purchase.`,
    ['update card', 'new card', 'payment details', 'change card'],
  ),
  faq(
    'Payment & billing',
    'My credit card keeps getting declined',
    `Please try these in order:

1. Enter the card details again carefully.
2. Log out of your account and log back in, then try again.
3. Check the card's expiry date; an expired card is always declined.

If it still fails, contact us and we can place the order for you over chat.`,
    ['card declined', 'card rejected', 'invalid card', 'payment failed', 'checkout error'],
  ),
  faq(
    'Payment & billing',
    'Do you match prices?',
    `Our prices are set automatically and change with demand, so an item can cost less elsewhere or have cost less yesterday. We don't match other stores' prices, but if you're unhappy with what you paid, contact us and we'll see what we can do, such as a promo code for your next order.`,
    ['price match', 'cheaper elsewhere', 'competitor price', 'price dropped'],
  ),
  faq(
    'Payment & billing',
    'Credit is missing from my account',
    `Credit from a subscription refund, a previous purchase or a promotional package sometimes doesn't show right away in your account page. Log out and back in first. If it's still missing, contact us with where the credit came from and how much it was; if it's really missing we add it back with a promo code.`,
    ['store credit', 'balance', 'credit not showing'],
  ),

  // ---- Promotions ------------------------------------------------------------------------------------------------
  faq(
    'Promotions',
    "My promo code doesn't work",
    `Most promo codes are valid for 7 days from when they were sent, so an older code has probably expired. Codes also can't be combined and some exclude sale items. If your code should have worked, contact us: we'll check it, and Bronze, Silver and Gold members get a new code (usually 20% off the next purchase).`,
    ['promo code', 'discount code', 'coupon', 'voucher', 'code expired', 'invalid code'],
  ),
  faq(
    'Promotions',
    'When do promo codes expire?',
    `A promo code is valid for 7 days from the day we send it unless the email says otherwise.`,
    ['promo code expiry', 'coupon valid', 'discount expires'],
  ),

  // ---- Account --------------------------------------------------------------------------------------------------
  faq(
    'Account',
    'I forgot my username',
    `We can find it for you. Send us three of these: your full name, your zip code, your phone number and your email address. Usernames are usually the first letter of your first name, your last name and a 1 (John Smith: jsmith1).`,
    ['forgot username', 'recover username', 'login name', "can't log in"],
  ),
  faq(
    'Account',
    'How do I reset my password?',
    `For your security we can't see or send your current password, but we can set a new one. Give us your username and either your PIN or the answer to your security question, and we'll create a new password for you. Change it after you sign in.`,
    ['forgot password', 'reset password', 'new password', "can't sign in", 'locked out'],
  ),
  faq(
    'Account',
    'How do I reset two-factor authentication?',
    `We send a reset code to the email address on your account. If you can't reach that email, we can verify you with your PIN or the answer to your security question instead. We'll also send you a short guide to keeping your account secure.`,
    ['2fa', 'two factor', 'authentication code', 'verification code', 'security'],
  ),
  faq(
    'Account',
    'How do I change my address?',
    `Tell us your current street address and the new one. To protect your account we confirm it's you first: have three of these ready: phone number, PIN, username, password, or the order ID of an earlier purchase. To change where a single order goes, see *Can I change my order or its address after it shipped?*`,
    ['change address', 'new address', 'moved', 'update address', 'shipping address'],
  ),
  faq(
    'Account',
    'How do I change the name on my account?',
    `Tell us the full name on the account now and the new name. We confirm it's you with three of these: phone number, PIN, username, password, or the order ID of an earlier purchase.`,
    ['change name', 'update name', 'new name', 'name change'],
  ),
  faq(
    'Account',
    'How do I change my phone number?',
    `Tell us your current phone number and the new one, in the format (555) 555-5555. We confirm it's you with three of these: phone number, PIN, username, password, or the order ID of an earlier purchase.`,
    ['change phone', 'new phone number', 'update phone', 'mobile number'],
  ),
  faq(
    'Account',
    "There's a service on my account that I didn't add",
    `Emails saying a paid service was added to your account may be scams: check that the sender really is our store and don't click their links. Contact us and we'll check your account; if a service was added by mistake we remove it and refund what you paid for it.`,
    ['scam email', 'unexpected charge', 'did not sign up'],
  ),
  faq(
    'Account',
    'A service was removed from my account',
    `If a service you rely on has disappeared from your plan, contact us. We check what happened and, if it was removed by mistake, add it back; it may take a few minutes before it shows on your account again.`,
    ['lost service', 'plan changed'],
  ),

  // ---- Website help ---------------------------------------------------------------------------------------------
  faq(
    'Website help',
    "Items won't stay in my shopping cart",
    `Refresh the page and add the item again, or log out and back in. Also check the product page: if the item is out of stock it can't be added (the stock status is shown at the bottom left). If nothing helps, we can place the order for you.`,
    ['shopping cart', 'basket', 'add to cart'],
  ),
  faq(
    'Website help',
    'Search shows no results',
    `Try searching for something else, then search for your item again. If search still says "No results found", clear your browser's cookies (in your browser's settings) and log out and back in. We'll also let our website team know.`,
    ['search bar', "can't find product"],
  ),
  faq(
    'Website help',
    'The website is very slow',
    `Close other browser tabs and programs you don't need, as they can slow things down. If other websites are slow too, the problem is likely your internet connection. If it's only our site, tell us: we'll report it to our website team, and we can place your order for you in the meantime.`,
    ['slow website', 'site slow', 'page loading', 'website not loading'],
  ),
  faq(
    'Products',
    'The item I want is out of stock',
    `Popular items sell out fast; we pass every out-of-stock report to our purchasing team. We can back-order an item for you: it ships as soon as it's back, charged to the card on your account.`,
    ['out of stock', 'sold out', 'back order', 'restock', 'not available'],
  ),

  // ---- Membership and subscription ------------------------------------------------------------------------------
  article(
    'Membership',
    'Membership levels and benefits',
    `We have four membership levels: **Guest**, **Bronze**, **Silver** and **Gold**.

- **Guest**: shop without an account; 30-day returns.
- **Bronze**: free with an account; 90-day returns, refunds without waiting for returned items.
- **Silver**: spend $500 in a year; 6-month returns, unexpected fees always removed, free delivery for items added to a shipped order.
- **Gold**: spend $1,000 in a year or subscribe to Premium; unlimited returns, free overnight and international shipping, unexpected fees removed, and refunds credited straight away.

A membership level lasts for 12 months from the day you reach it and renews when you qualify again.`,
    ['membership levels', 'gold', 'silver', 'bronze', 'guest', 'benefits', 'tiers'],
  ),
  faq(
    'Membership',
    'What is the Premium subscription?',
    `Premium costs $99 a year and gives you Gold membership benefits for as long as it's active. It renews every year on the date you first subscribed; you can see your status, amount due and renewal date in your account.`,
    ['premium', 'subscription', 'annual fee', 'yearly subscription'],
  ),
  faq(
    'Membership',
    'Is my subscription still active?',
    `Your account page shows whether your Premium subscription is active, how much is due and the next renewal date. Sign in at www.example-shop.com/account; if you've forgotten your username, see *I forgot my username*. If a payment is overdue you can pay it from there or ask us in chat.`,
    ['subscription status', 'payment went through', 'active', 'subscription active'],
  ),
  faq(
    'Membership',
    'How much do I owe for my subscription, and when is it due?',
    `Premium is $99 a year, due on the anniversary of the day you subscribed. Your account page shows the exact amount due and the due date; we can also tell you in chat once we've confirmed your identity.`,
    ['amount due', 'due date', 'renewal date', 'subscription bill', 'how much do I owe'],
  ),
  faq(
    'Membership',
    'How do I pay or renew my subscription?',
    `You can pay all or part of the $99 yearly fee from your account page, or in chat with the card on your account. Your subscription is renewed as soon as the payment goes through.`,
    ['pay subscription', 'renew subscription', 'pay bill', 'subscription payment'],
  ),
  faq(
    'Membership',
    'Can I get more time to pay my subscription?',
    `Gold members can always get an extension. Silver members can if the payment is only one day late. Otherwise we can't extend it, but a manager can call you back to talk it through.`,
    ['extension', 'pay later', "can't pay", 'more time'],
  ),
  faq(
    'Membership',
    'I was charged twice for my subscription',
    `Sorry about that. Tell us how much you were charged and how much you expected to pay; if you already paid too much we refund the difference. Gold members are always refunded; Silver members are for differences under $10, and otherwise we check the charge in our system.`,
    ['double charge', 'wrong bill', 'subscription charge'],
  ),
  faq(
    'Membership',
    'How do I cancel my subscription?',
    `You can cancel Premium at any time from your account page or in chat. You keep its benefits until the end of the year you've paid for, and we don't charge you again.`,
    ['cancel subscription', 'stop subscription', 'end premium'],
  ),

  // ---- Store ------------------------------------------------------------------------------------------------------
  article(
    'Store',
    'Extra services and their prices',
    `- **Gift wrapping**: $4.99 per item, with a handwritten card.
- **Name stitching**: $9.99 to stitch a name or initials into a shirt, jacket or jeans.
- **Tailoring**: jeans hemmed to your length for $12.
- **Overnight shipping**: $20.00, free for Gold members.
- **Free standard shipping** on every cart over $75.`,
    ['gift wrap', 'monogram', 'embroidery', 'stitching name', 'prices', 'free shipping'],
  ),
  article(
    'Store',
    'Store hours, sales and new collections',
    `- **Stores** open Monday to Saturday from 9 am to 8 pm and Sunday from 10 am to 6 pm.
- **The spring collection** launches on the first Monday of March.
- **The annual sale** begins on the day after Thanksgiving and runs for two weeks.
- **Promo codes** are valid for 7 days from when they are sent.`,
    ['opening hours', 'store open', 'spring collection', 'annual sale', 'sale dates'],
  ),

  // ---- Products ------------------------------------------------------------------------------------------------
  article(
    'Products',
    'Boots: fit, care and warranty',
    `## Fit

Our boots come in standard and wide widths; the wide fit adds about half a centimetre across the foot. Leather boots take a week or two of regular wear to soften. If your size is sold out, we can back-order it.

## Care

- **Paint**: while it's wet, wipe with a damp cloth; once dry, work it off gently with a little olive oil.
- **Chewing gum**: harden it with an ice cube, then lift it off.
- All boots are treated to be water-resistant; re-apply a waterproofing spray every few months.

## Details

Laces come in black and brown. Every pair has a one-year warranty against manufacturing defects.`,
    ['boots', 'shoes', 'waterproof', 'laces', 'warranty', 'wide'],
  ),
  article(
    'Products',
    'Shirts: sizing, care and materials',
    `## Sizing

Sleeves measure 86 cm on a size M, and the collar is 40 cm around. Shirts are cut to fit after washing; pre-shrunk cotton shrinks less than 2%. Sizes S, M and L are usually in stock.

## Care

Machine wash at 30 °C with similar colours and hang to dry. For a stain, dab (don't rub) with cold water and a little washing-up liquid before washing.

## Materials

Our shirts are 100% cotton or a cotton–linen blend; buttons come in brown or black.`,
    ['shirt', 'sleeve length', 'collar', 'cotton', 'shrink', 'wash'],
  ),
  article(
    'Products',
    'Jeans: fit, care and tailoring',
    `## Fit

Leg lengths run from 76 to 86 cm, and we can hem them to your length for $12. Jeans come in dark blue and black, and our ripped styles are distressed by hand. Ask us if you need a larger or smaller size.

## Care

Wash jeans after every 5 to 10 wears, inside out, in cold water, to keep the colour. For a grass stain, rub in a little liquid detergent and let it sit for 15 minutes before washing. Cold washing keeps shrinking to under 1%.`,
    ['jeans', 'denim', 'leg length', 'tailoring', 'hem', 'grass stain', 'ripped'],
  ),
  article(
    'Products',
    'Jackets: warmth, care and the hood',
    `## Warmth

Our padded jackets are comfortable down to about −10 °C; the light jackets are for spring and autumn.

## Care

Most jackets can go in the washing machine on a gentle cycle; leather and wool ones are dry-clean only (see the label). For red wine, blot it right away and cover it with salt, then wash as usual. Jackets don't shrink when washed cold.

## Details

The hood unzips along the collar and comes off. The outer shell is polyester, the lining cotton. Ask us whether your size is in stock.`,
    ['jacket', 'coat', 'hood', 'dry clean', 'warm', 'wine stain', 'material'],
  ),
];

// The eight questions customers ask most, in Spanish.
const SPANISH: DemoEntry[] = [
  faq(
    'Devoluciones y reembolsos',
    '¿Cuál es la política de devoluciones?',
    `Los miembros Gold pueden devolver artículos en cualquier momento. Los miembros Silver tienen 6 meses, los Bronze 90 días y los clientes sin cuenta 30 días desde la compra. Pasado ese plazo, los miembros Silver y Bronze aún pueden devolver un artículo con el recibo o en su embalaje original. Puedes enviarlo por correo con una etiqueta gratuita, llevarlo a una tienda o dejarlo en un punto de entrega.`,
    // "devuelvo" as customers write it: Spanish stemming keeps it apart from "devolver" and "devolución".
    ['devolución', 'devolver', 'devuelvo', 'devolver un pedido', 'plazo de devolución', 'cambio'],
  ),
  faq(
    'Devoluciones y reembolsos',
    '¿Cómo recibiré mi reembolso?',
    `Tú eliges cómo te devolvemos el dinero: en la tarjeta de crédito de tu cuenta, como saldo en tu cuenta, con una tarjeta regalo o con un cheque enviados a tu dirección. Los reembolsos pueden tardar hasta 7 días en aparecer después de que recibamos el artículo.`,
    ['reembolso', 'devolución del dinero', 'tarjeta regalo', 'cheque'],
  ),
  faq(
    'Pedidos',
    '¿Dónde está mi pedido?',
    `Tu pedido pasa por estos estados: *pedido recibido* (aún puedes cambiarlo), *en tránsito*, *en reparto* y *entregado*. Te enviamos un correo en cada paso. Si algo no cuadra, escríbenos con el número de pedido y lo revisamos.`,
    ['estado del pedido', 'seguimiento', 'rastrear pedido', 'envío'],
  ),
  faq(
    'Envíos',
    '¿Cuánto cuesta el envío y cuánto tarda?',
    `El envío estándar cuesta 8 $ y tarda de 3 a 5 días laborables; es gratis en pedidos de más de 75 $. El envío urgente cuesta 20 $ y llega al siguiente día laborable (gratis para miembros Gold). Los envíos internacionales tardan de 7 a 14 días laborables.`,
    ['gastos de envío', 'plazo de entrega', 'envío gratis', 'envío urgente'],
  ),
  faq(
    'Pagos',
    '¿Qué métodos de pago aceptan?',
    `Aceptamos tarjetas de crédito, tarjetas de débito y PayPal. Puedes guardar uno en tu cuenta y cambiarlo cuando quieras. Si tu pedido aún no ha salido a reparto, también podemos cambiar el método de pago de ese pedido.`,
    ['pago', 'tarjeta', 'paypal', 'forma de pago'],
  ),
  faq(
    'Cuenta',
    '¿Cómo restablezco mi contraseña?',
    `Por seguridad no podemos ver tu contraseña actual, pero podemos crear una nueva. Danos tu nombre de usuario y tu PIN o la respuesta a tu pregunta de seguridad. Cámbiala después de iniciar sesión.`,
    ['contraseña', 'olvidé mi contraseña', 'iniciar sesión', 'acceso'],
  ),
  faq(
    'Cuenta',
    '¿Cómo cambio mi dirección?',
    `Dinos tu dirección actual y la nueva. Para proteger tu cuenta primero confirmamos tu identidad con tres de estos datos: teléfono, PIN, nombre de usuario, contraseña o el número de un pedido anterior.`,
    ['dirección', 'cambiar dirección', 'mudanza', 'dirección de envío'],
  ),
  faq(
    'Promociones',
    'Mi código promocional no funciona',
    `La mayoría de los códigos promocionales son válidos durante 7 días desde que los enviamos, así que un código más antiguo probablemente ha caducado. Si tu código debería funcionar, escríbenos: lo revisamos y, si eres miembro Bronze, Silver o Gold, te damos uno nuevo (normalmente un 20 % de descuento en tu próxima compra).`,
    ['código promocional', 'cupón', 'descuento', 'código caducado'],
  ),
];

/** The demo knowledge base, published: English, and the most asked questions in Spanish. */
export const DEMO_KNOWLEDGE: KnowledgeArticleInput[] = [
  ...ENGLISH.map((entry) => ({ ...entry, language: 'en', status: 'published' as const })),
  ...SPANISH.map((entry) => ({ ...entry, language: 'es', status: 'published' as const })),
];

/**
 * Adds the demo articles a workspace does not have yet (matched by language and title), so running it again adds
 * nothing. Returns how many it added. One query, then one insert per missing article.
 */
export async function seedDemoKnowledge(pool: Pool, workspaceId: string, text: KnowledgeText): Promise<number> {
  const { rows } = await pool.query<{ language: string; title: string }>('SELECT language, title FROM knowledge_article WHERE workspace_id = $1', [workspaceId]);
  const existing = new Set(rows.map((r) => `${r.language}\n${r.title}`));
  const knowledge = new KnowledgeRepository(pool, text);
  let added = 0;
  for (const entry of DEMO_KNOWLEDGE) {
    if (existing.has(`${entry.language}\n${entry.title}`)) continue;
    const result = await knowledge.create(workspaceId, entry);
    if (!result.ok) throw new Error(`demo knowledge "${entry.title}" is invalid: ${JSON.stringify(result)}`);
    added++;
  }
  return added;
}
