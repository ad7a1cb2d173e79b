/**
 * Word lists the generator draws from: countries with their names, cities, streets, phone and
 * postal formats and currencies; product categories; clickstream pages; support-ticket topics
 * and the sentences ticket bodies are made of. Everything here is invented; phone numbers use
 * the reserved 555 / fictional ranges where a country has one.
 */

export interface City {
  city: string;
  region: string;
  /** Leading characters of the postal code; the country's `postalSuffix` completes it. */
  postal: string;
}

export interface Country {
  code: string;
  /** Share of customers, in percent (the weights add up to 100). */
  weight: number;
  currency: string;
  /** Units of `currency` per US dollar. */
  fx: number;
  /** Decimal places of the currency (JPY has none). */
  decimals: number;
  firstNames: string[];
  lastNames: string[];
  emailDomains: string[];
  cities: City[];
  streets: string[];
  /** How a street address is written: "12 Main Street", "Hauptstraße 12" or "1-2-3 Jingumae". */
  streetStyle: "number-first" | "number-last" | "jp";
  /** Postal suffix pattern appended to the city prefix: # a digit, @ an upper-case letter. */
  postalSuffix: string;
  /** Phone formats: # a digit. One is chosen per customer. */
  phoneFormats: string[];
  stores: number;
  /** Hours ahead of UTC (standard time, main zone): stores trade 9:00–21:00 local time. */
  utcOffset: number;
}

const EN_FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Susan", "Olivia", "Noah", "Emma", "Liam", "Ava", "Ethan", "Sophia", "Mason", "Isabella", "Lucas", "Mia", "Chloe"];
const EN_LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "O'Brien", "Nguyen"];

export const COUNTRIES: Country[] = [
  {
    code: "US", weight: 45, currency: "USD", fx: 1, decimals: 2,
    firstNames: EN_FIRST, lastNames: EN_LAST,
    emailDomains: ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com", "hotmail.com"],
    cities: [
      { city: "New York", region: "NY", postal: "100" }, { city: "Los Angeles", region: "CA", postal: "900" },
      { city: "Chicago", region: "IL", postal: "606" }, { city: "Houston", region: "TX", postal: "770" },
      { city: "Phoenix", region: "AZ", postal: "850" }, { city: "Seattle", region: "WA", postal: "981" },
      { city: "Denver", region: "CO", postal: "802" }, { city: "Atlanta", region: "GA", postal: "303" },
      { city: "Boston", region: "MA", postal: "021" }, { city: "Miami", region: "FL", postal: "331" },
      { city: "San Francisco", region: "CA", postal: "941" }, { city: "Austin", region: "TX", postal: "787" },
    ],
    streets: ["Main Street", "Oak Avenue", "Maple Drive", "Cedar Lane", "Park Avenue", "Washington Boulevard", "Elm Street", "Lakeview Road", "Sunset Boulevard", "Pine Street"],
    streetStyle: "number-first", postalSuffix: "##",
    phoneFormats: ["+1-###-555-####", "(###) 555-####", "###.555.####", "+1 ### 555 ####"],
    stores: 40, utcOffset: -6,
  },
  {
    code: "GB", weight: 12, currency: "GBP", fx: 0.79, decimals: 2,
    firstNames: ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Poppy", "Thomas", "Grace", "Alfie", "Sophie"],
    lastNames: ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Davies", "Thomas", "Roberts", "Walker", "Wright", "Hughes", "Edwards"],
    emailDomains: ["gmail.com", "hotmail.co.uk", "btinternet.com", "outlook.com", "yahoo.co.uk"],
    cities: [
      { city: "London", region: "Greater London", postal: "SW1A" }, { city: "Manchester", region: "Greater Manchester", postal: "M1" },
      { city: "Birmingham", region: "West Midlands", postal: "B1" }, { city: "Leeds", region: "West Yorkshire", postal: "LS1" },
      { city: "Bristol", region: "Bristol", postal: "BS1" }, { city: "Edinburgh", region: "Scotland", postal: "EH1" },
      { city: "Cardiff", region: "Wales", postal: "CF10" },
    ],
    streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "Queen's Road", "King Street", "Park Road"],
    streetStyle: "number-first", postalSuffix: " #@@",
    phoneFormats: ["+44 7### ######", "07### ######"],
    stores: 12, utcOffset: 0,
  },
  {
    code: "DE", weight: 10, currency: "EUR", fx: 0.92, decimals: 2,
    firstNames: ["Lukas", "Anna", "Leon", "Marie", "Finn", "Sophie", "Jonas", "Lena", "Paul", "Hannah", "Felix", "Jürgen", "Mia", "Karl"],
    lastNames: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Wolf", "Schäfer"],
    emailDomains: ["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de"],
    cities: [
      { city: "Berlin", region: "Berlin", postal: "10" }, { city: "München", region: "Bayern", postal: "80" },
      { city: "Hamburg", region: "Hamburg", postal: "20" }, { city: "Köln", region: "Nordrhein-Westfalen", postal: "50" },
      { city: "Frankfurt am Main", region: "Hessen", postal: "60" }, { city: "Stuttgart", region: "Baden-Württemberg", postal: "70" },
    ],
    streets: ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schulstraße", "Lindenweg", "Bergstraße", "Kirchplatz", "Goethestraße"],
    streetStyle: "number-last", postalSuffix: "###",
    phoneFormats: ["+49 15# #######", "015# #######"],
    stores: 9, utcOffset: 1,
  },
  {
    code: "FR", weight: 8, currency: "EUR", fx: 0.92, decimals: 2,
    firstNames: ["Gabriel", "Louise", "Léo", "Jade", "Raphaël", "Emma", "Arthur", "Chloé", "Louis", "Léa", "Hugo", "Manon", "Zoé", "Étienne"],
    lastNames: ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Girard", "Roux", "Fournier"],
    emailDomains: ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr"],
    cities: [
      { city: "Paris", region: "Île-de-France", postal: "75" }, { city: "Lyon", region: "Auvergne-Rhône-Alpes", postal: "69" },
      { city: "Marseille", region: "Provence-Alpes-Côte d'Azur", postal: "13" }, { city: "Toulouse", region: "Occitanie", postal: "31" },
      { city: "Bordeaux", region: "Nouvelle-Aquitaine", postal: "33" }, { city: "Lille", region: "Hauts-de-France", postal: "59" },
    ],
    streets: ["rue de la Paix", "avenue Victor Hugo", "rue du Moulin", "boulevard Voltaire", "rue de l'Église", "place de la République", "rue Pasteur"],
    streetStyle: "number-first", postalSuffix: "###",
    phoneFormats: ["+33 6 ## ## ## ##", "06 ## ## ## ##"],
    stores: 7, utcOffset: 1,
  },
  {
    code: "CA", weight: 6, currency: "CAD", fx: 1.36, decimals: 2,
    firstNames: [...EN_FIRST.slice(0, 16), "Émile", "Camille", "Félix", "Gabrielle"], lastNames: [...EN_LAST.slice(0, 16), "Tremblay", "Gagnon", "Roy", "Côté"],
    emailDomains: ["gmail.com", "outlook.com", "yahoo.ca", "rogers.com", "shaw.ca"],
    cities: [
      { city: "Toronto", region: "ON", postal: "M5V" }, { city: "Montréal", region: "QC", postal: "H2X" },
      { city: "Vancouver", region: "BC", postal: "V6B" }, { city: "Calgary", region: "AB", postal: "T2P" },
      { city: "Ottawa", region: "ON", postal: "K1P" },
    ],
    streets: ["King Street West", "Yonge Street", "rue Sainte-Catherine", "Robson Street", "Bank Street", "Jasper Avenue"],
    streetStyle: "number-first", postalSuffix: " #@#",
    phoneFormats: ["+1-###-555-####", "(###) 555-####"],
    stores: 6, utcOffset: -5,
  },
  {
    code: "ES", weight: 4, currency: "EUR", fx: 0.92, decimals: 2,
    firstNames: ["Hugo", "Lucía", "Mateo", "Sofía", "Martín", "Martina", "Pablo", "María", "Alejandro", "Paula", "José", "Carmen"],
    lastNames: ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz"],
    emailDomains: ["gmail.com", "hotmail.es", "yahoo.es", "telefonica.net"],
    cities: [
      { city: "Madrid", region: "Comunidad de Madrid", postal: "28" }, { city: "Barcelona", region: "Cataluña", postal: "08" },
      { city: "Valencia", region: "Comunidad Valenciana", postal: "46" }, { city: "Sevilla", region: "Andalucía", postal: "41" },
    ],
    streets: ["Calle Mayor", "Gran Vía", "Calle de Alcalá", "Avenida de la Constitución", "Calle Real", "Paseo de Gracia"],
    streetStyle: "number-last", postalSuffix: "###",
    phoneFormats: ["+34 6## ### ###", "6## ## ## ##"],
    stores: 4, utcOffset: 1,
  },
  {
    code: "IT", weight: 4, currency: "EUR", fx: 0.92, decimals: 2,
    firstNames: ["Leonardo", "Sofia", "Francesco", "Giulia", "Alessandro", "Aurora", "Lorenzo", "Alice", "Mattia", "Ginevra", "Niccolò", "Beatrice"],
    lastNames: ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "De Luca"],
    emailDomains: ["gmail.com", "libero.it", "virgilio.it", "alice.it", "hotmail.it"],
    cities: [
      { city: "Roma", region: "Lazio", postal: "00" }, { city: "Milano", region: "Lombardia", postal: "20" },
      { city: "Napoli", region: "Campania", postal: "80" }, { city: "Torino", region: "Piemonte", postal: "10" },
      { city: "Firenze", region: "Toscana", postal: "50" },
    ],
    streets: ["Via Roma", "Via Garibaldi", "Corso Italia", "Via Dante", "Piazza del Duomo", "Via Mazzini"],
    streetStyle: "number-last", postalSuffix: "###",
    phoneFormats: ["+39 3## ### ####", "3## #######"],
    stores: 4, utcOffset: 1,
  },
  {
    code: "NL", weight: 3, currency: "EUR", fx: 0.92, decimals: 2,
    firstNames: ["Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Levi", "Tess", "Finn", "Sara", "Bram", "Anouk"],
    lastNames: ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder"],
    emailDomains: ["gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl", "outlook.com"],
    cities: [
      { city: "Amsterdam", region: "Noord-Holland", postal: "1012" }, { city: "Rotterdam", region: "Zuid-Holland", postal: "3011" },
      { city: "Utrecht", region: "Utrecht", postal: "3511" }, { city: "Eindhoven", region: "Noord-Brabant", postal: "5611" },
    ],
    streets: ["Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsplein", "Prinsengracht", "Herengracht"],
    streetStyle: "number-last", postalSuffix: " @@",
    phoneFormats: ["+31 6 ########", "06-########"],
    stores: 3, utcOffset: 1,
  },
  {
    code: "AU", weight: 4, currency: "AUD", fx: 1.52, decimals: 2,
    firstNames: EN_FIRST.slice(4, 24), lastNames: [...EN_LAST.slice(4, 20), "Kelly", "Ryan", "Walsh", "Murphy"],
    emailDomains: ["gmail.com", "bigpond.com", "outlook.com", "optusnet.com.au"],
    cities: [
      { city: "Sydney", region: "NSW", postal: "20" }, { city: "Melbourne", region: "VIC", postal: "30" },
      { city: "Brisbane", region: "QLD", postal: "40" }, { city: "Perth", region: "WA", postal: "60" },
      { city: "Adelaide", region: "SA", postal: "50" },
    ],
    streets: ["George Street", "Collins Street", "Queen Street", "Hay Street", "Beach Road", "Bourke Street"],
    streetStyle: "number-first", postalSuffix: "##",
    phoneFormats: ["+61 4## ### ###", "04## ### ###"],
    stores: 5, utcOffset: 10,
  },
  {
    code: "JP", weight: 4, currency: "JPY", fx: 151, decimals: 0,
    firstNames: ["Haruto", "Yui", "Sota", "Hina", "Yuto", "Aoi", "Riku", "Mei", "Takumi", "Sakura", "Ren", "Yuna"],
    lastNames: ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada"],
    emailDomains: ["gmail.com", "yahoo.co.jp", "docomo.ne.jp", "icloud.com"],
    cities: [
      { city: "Tokyo", region: "Tokyo", postal: "150" }, { city: "Osaka", region: "Osaka", postal: "530" },
      { city: "Yokohama", region: "Kanagawa", postal: "220" }, { city: "Nagoya", region: "Aichi", postal: "450" },
      { city: "Sapporo", region: "Hokkaido", postal: "060" }, { city: "Fukuoka", region: "Fukuoka", postal: "810" },
    ],
    streets: ["Jingumae", "Umeda", "Minatomirai", "Sakae", "Chuo", "Tenjin"],
    streetStyle: "jp", postalSuffix: "-####",
    phoneFormats: ["+81 90-####-####", "090-####-####"],
    stores: 4, utcOffset: 9,
  },
];

export const LOYALTY_TIERS = ["bronze", "silver", "gold", "platinum"];
export const PREFERRED_CHANNELS = ["email", "email", "email", "sms", "sms", "push", "push", "mail", "none"];

export interface Category {
  name: string;
  weight: number;
  /** Typical unit price in USD. */
  price: number;
}

export const CATEGORIES: Category[] = [
  { name: "electronics", weight: 12, price: 180 },
  { name: "apparel", weight: 20, price: 42 },
  { name: "home_kitchen", weight: 13, price: 55 },
  { name: "beauty", weight: 11, price: 24 },
  { name: "grocery", weight: 14, price: 18 },
  { name: "toys", weight: 7, price: 30 },
  { name: "sports_outdoors", weight: 8, price: 65 },
  { name: "books", weight: 8, price: 16 },
  { name: "garden", weight: 4, price: 48 },
  { name: "jewelry", weight: 3, price: 140 },
];

export const PAYMENT_ONLINE = ["credit_card", "credit_card", "credit_card", "credit_card", "debit_card", "debit_card", "paypal", "paypal", "apple_pay", "google_pay", "klarna", "gift_card"];
export const PAYMENT_STORE = ["credit_card", "credit_card", "credit_card", "debit_card", "debit_card", "debit_card", "cash", "cash", "apple_pay", "gift_card"];

export const LANDING_PAGES = ["/", "/", "/", "/deals", "/new-arrivals", "/c/electronics", "/c/apparel", "/c/home-kitchen", "/c/beauty", "/c/grocery", "/c/toys", "/c/sports-outdoors", "/c/books", "/stores", "/gift-cards"];
export const BROWSE_PAGES = ["/", "/deals", "/new-arrivals", "/c/electronics", "/c/apparel", "/c/home-kitchen", "/c/beauty", "/c/grocery", "/c/toys", "/c/sports-outdoors", "/c/books", "/c/garden", "/c/jewelry", "/account", "/account/orders", "/wishlist", "/help", "/stores", "/cart"];
export const SEARCH_TERMS = ["running+shoes", "wireless+earbuds", "coffee+maker", "winter+jacket", "lego", "face+serum", "yoga+mat", "air+fryer", "gift+ideas", "phone+case", "jeans", "organic+coffee", "desk+lamp", "sunscreen", "board+games", "bluetooth+speaker"];
export const REFERRERS = ["https://www.google.com/", "https://www.google.com/", "https://www.google.com/", "https://www.bing.com/", "https://www.facebook.com/", "https://www.instagram.com/", "https://t.co/", "https://www.youtube.com/", "email:newsletter", "email:cart-reminder", "https://www.pinterest.com/", "ads:google-shopping"];

export interface Topic {
  name: string;
  weight: number;
  /** Subject line; {order} is replaced by an order number, {item} by a product. */
  subjects: string[];
  /** Initial priority weights: low, medium, high, urgent. */
  priority: [number, number, number, number];
}

export const TICKET_TOPICS: Topic[] = [
  { name: "delivery", weight: 26, priority: [10, 50, 30, 10], subjects: ["Where is my order #{order}?", "Order #{order} has not arrived", "Delivery delayed for order #{order}", "Tracking not updating"] },
  { name: "damaged_item", weight: 14, priority: [5, 40, 40, 15], subjects: ["Damaged {item} received", "Item arrived broken (order #{order})", "Wrong item in my package"] },
  { name: "refund", weight: 18, priority: [5, 45, 35, 15], subjects: ["Refund not received for order #{order}", "Request refund for {item}", "Charged twice for order #{order}"] },
  { name: "returns", weight: 12, priority: [30, 55, 15, 0], subjects: ["How do I return my {item}?", "Return label not working", "Exchange {item} for another size"] },
  { name: "account", weight: 10, priority: [20, 45, 25, 10], subjects: ["Cannot log in to my account", "Please update my email address", "Delete my account and data", "Password reset email never arrives"] },
  { name: "loyalty", weight: 10, priority: [40, 50, 10, 0], subjects: ["Loyalty points missing", "Why was my tier downgraded?", "Birthday reward not applied"] },
  { name: "product_question", weight: 10, priority: [60, 35, 5, 0], subjects: ["Question about {item}", "Is the {item} back in stock?", "Warranty for {item}"] },
];

export const TICKET_ITEMS = ["wireless earbuds", "coffee maker", "winter jacket", "running shoes", "air fryer", "yoga mat", "desk lamp", "board game", "face serum", "bluetooth speaker", "jeans", "blender", "backpack", "smart watch"];

/**
 * Sentences of ticket bodies, by who speaks and the mood. Negative sentences carry words such
 * as "terrible", "angry", "disappointed", "broken", "unacceptable"; positive ones "thanks",
 * "great", "happy", "excellent", "helpful", so a lexicon sentiment score separates them.
 */
export const BODY_COMPLAINT = [
  "This is terrible, my {item} still has not arrived and nobody answers.",
  "I am very disappointed: the {item} arrived broken and the box was damaged.",
  "Unacceptable service. I was charged twice and I am really angry.",
  "Worst experience ever, the delivery is two weeks late.",
  "I am frustrated, the app keeps failing and I cannot check out.",
  "The {item} is defective and useless, I want a refund now.",
  "Awful support, I have called three times and still no answer.",
  "Very poor quality, the {item} stopped working after one day.",
  "I am upset that my loyalty points disappeared without explanation.",
  "Horrible packaging, everything was broken and dirty.",
];
export const BODY_QUESTION = [
  "Hello, could you tell me when the {item} will be back in stock?",
  "Hi, I would like to change the delivery address for order {order}.",
  "Can you explain how the return process works for the {item}?",
  "Please let me know the status of order {order}.",
  "Is there a warranty on the {item}? I could not find it on the website.",
  "I need an invoice for order {order} for my company.",
];
export const BODY_AGENT_PENDING = [
  "Thank you for contacting us. We have asked the warehouse for an update and will get back to you within 48 hours.",
  "We are sorry for the inconvenience. Could you please send a photo of the {item} and the packaging?",
  "Our team is reviewing your request for order {order}. We will follow up shortly.",
  "We have escalated this to our logistics partner and are waiting for their reply.",
  "Could you please confirm the email address used for the order?",
];
export const BODY_FOLLOWUP = [
  "Still waiting. This is unacceptable and I am getting angry.",
  "Nobody has replied for days, really disappointing service.",
  "The problem is not fixed, the {item} is still broken.",
  "I was promised a refund last week and nothing happened. Terrible.",
  "Again no update. I will cancel my membership if this continues.",
];
export const BODY_RESOLVED = [
  "We have issued a full refund for order {order}. It should appear within 5 business days.",
  "A replacement {item} has been shipped with express delivery, free of charge.",
  "Your loyalty points have been restored and a 10% voucher added as an apology.",
  "The delivery address was updated and the parcel has been re-routed.",
  "Your account has been unlocked; you can log in again.",
  "We have credited the duplicate charge back to your card.",
];
export const BODY_THANKS = [
  "Thanks a lot, great service and a very helpful agent!",
  "Excellent, the problem is solved. I really appreciate the quick help.",
  "Perfect, thank you! Happy with the outcome.",
  "Thank you, the replacement arrived and it works great. Love it.",
  "Wonderful support, fast and friendly. Thanks again!",
];
export const BODY_STILL_UNHAPPY = [
  "You can close it, but I am still unhappy with how long this took.",
  "Fine, but the whole experience was frustrating and slow.",
  "Closing this, although the answer was not helpful at all.",
];
