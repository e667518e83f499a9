// Words the demo data is built from: Malaysian names and the problems a field-service
// company hears about. Combined by a seeded random generator, so every run makes the same data.

export const FIRST_NAMES = [
  "Ahmad",
  "Muhammad",
  "Nur",
  "Siti",
  "Aisyah",
  "Hafiz",
  "Farah",
  "Amir",
  "Zulkifli",
  "Nurul",
  "Wei Ming",
  "Mei Ling",
  "Jun Hao",
  "Hui Min",
  "Kah Wai",
  "Li Ting",
  "Chee Keong",
  "Siew Lan",
  "Rajesh",
  "Priya",
  "Suresh",
  "Kavitha",
  "Arjun",
  "Deepa",
  "Vijay",
  "Lakshmi",
  "Azlan",
  "Faridah",
  "Syafiq",
  "Hidayah",
  "Danial",
  "Aina",
  "Kumar",
  "Mei Yee",
  "Irfan",
  "Liyana",
];

export const LAST_NAMES = [
  "bin Abdullah",
  "binti Ismail",
  "bin Hassan",
  "binti Rahman",
  "bin Osman",
  "binti Yusof",
  "Tan",
  "Lim",
  "Lee",
  "Wong",
  "Ng",
  "Chong",
  "Teo",
  "Goh",
  "Chan",
  "Ong",
  "a/l Subramaniam",
  "a/p Krishnan",
  "a/l Muthu",
  "a/p Raman",
  "a/l Nair",
  "a/p Pillai",
];

export const COMPANY_WORDS = [
  [
    "Sinar",
    "Maju",
    "Jaya",
    "Harmoni",
    "Cahaya",
    "Gemilang",
    "Setia",
    "Bestari",
    "Mutiara",
    "Sentosa",
    "Perdana",
    "Bintang",
  ],
  [
    "Properties",
    "Hotels",
    "Healthcare",
    "Logistics",
    "Retail",
    "Foods",
    "Manufacturing",
    "Engineering",
    "Plaza",
    "Medical Centre",
    "Data Centre",
    "Academy",
  ],
];

export const TAGS = [
  "aircond",
  "lift",
  "electrical",
  "plumbing",
  "network",
  "billing",
  "warranty",
  "vip",
  "repeat",
  "safety",
];

interface Topic {
  tag: string;
  type: "question" | "incident" | "problem" | "task";
  subjects: string[];
  bodies: string[];
  replies: string[];
}

export const TOPICS: Topic[] = [
  {
    tag: "aircond",
    type: "incident",
    subjects: [
      "Aircond not cooling in {place}",
      "Aircond leaking water at {place}",
      "Chiller tripping at {place}",
      "Strange noise from aircond compressor, {place}",
    ],
    bodies: [
      "The air-conditioner in the {place} has been blowing warm air since this morning. It is {temp}°C inside and staff are complaining.",
      "Water is dripping from the indoor unit in the {place}. We put a bucket under it but it fills every hour.",
      "The chiller trips about every {hours} hours and we have to reset it manually. Please send someone to check.",
    ],
    replies: [
      "Thank you for reporting this. A technician will check the refrigerant and the condenser; could you tell us the model on the unit's label?",
      "We have scheduled a visit to inspect the unit. Please make sure someone can let the technician into the {place}.",
      "The technician found a clogged drain pipe and cleared it. Please tell us if the leak comes back.",
    ],
  },
  {
    tag: "lift",
    type: "incident",
    subjects: [
      "Lift stuck between floors at {place}",
      "Lift door not closing properly",
      "Lift making grinding sound, {place}",
    ],
    bodies: [
      "Lift number {n} stopped between level {n} and {m} this morning. Nobody was inside, but it is still out of service.",
      "The door of the service lift reopens again and again and the lift does not move.",
    ],
    replies: [
      "For safety the lift stays locked until our technician has inspected it. Someone will be on site within {hours} hours.",
      "The door sensor was misaligned; the technician adjusted it and tested 20 cycles. The lift is back in service.",
    ],
  },
  {
    tag: "electrical",
    type: "incident",
    subjects: ["Power trip in {place}", "Lights flickering at {place}", "Generator failed weekly test"],
    bodies: [
      "The main breaker for the {place} trips whenever the kitchen equipment is switched on.",
      "During the weekly test the standby generator did not start. The battery indicator shows red.",
    ],
    replies: [
      "Please keep the affected circuit off until our electrician has checked the load. We are arranging a visit.",
      "The generator battery was replaced and the test run passed. We will check it again at the next maintenance.",
    ],
  },
  {
    tag: "plumbing",
    type: "incident",
    subjects: ["Water pressure low at {place}", "Pipe burst near {place}", "Water heater not working"],
    bodies: [
      "Water pressure on the upper floors is very low since yesterday evening.",
      "A pipe burst in the {place}; we shut the valve but there is water on the floor.",
    ],
    replies: [
      "Our plumber will come today. Please keep the main valve closed until then.",
      "The pressure pump's controller was faulty and has been replaced; pressure is back to normal.",
    ],
  },
  {
    tag: "network",
    type: "problem",
    subjects: ["Wi-Fi down at {place}", "CCTV recorder offline", "Router keeps restarting"],
    bodies: [
      "Nobody in the {place} can connect to the Wi-Fi since this morning; the access point light is orange.",
      "The CCTV recorder shows offline in the app and we cannot view the cameras remotely.",
    ],
    replies: [
      "Could you restart the access point once and tell us if the light turns green?",
      "We replaced the faulty switch port; the recorder is online again.",
    ],
  },
  {
    tag: "billing",
    type: "question",
    subjects: [
      "Question about invoice {inv}",
      "Please resend invoice {inv}",
      "Payment made but invoice shows unpaid",
    ],
    bodies: [
      "Invoice {inv} charges for {n} visits but our records show only {m}. Could you check?",
      "We paid invoice {inv} by bank transfer last week but it still shows as unpaid.",
    ],
    replies: [
      "Thank you — we checked and corrected the invoice; the new copy is attached to this ticket.",
      "We found your transfer and matched it to the invoice. It now shows as paid.",
    ],
  },
  {
    tag: "warranty",
    type: "question",
    subjects: [
      "Is the compressor still under warranty?",
      "Warranty claim for replaced part",
      "Extend maintenance contract",
    ],
    bodies: [
      "The unit was installed {n} months ago. Is the compressor still covered by the warranty?",
      "We would like to extend the maintenance contract for another year. What are the options?",
    ],
    replies: [
      "Yes, the compressor is covered for 5 years from installation; this repair is free of charge.",
      "I have sent the renewal quotation by email. It includes quarterly preventive maintenance.",
    ],
  },
];

export const PLACES = [
  "server room",
  "lobby",
  "level 3 office",
  "ward B",
  "kitchen",
  "warehouse",
  "meeting room",
  "car park",
  "guest rooms on level 7",
  "clinic",
];

export const CUSTOMER_FOLLOW_UPS = [
  "Thank you, that works for us.",
  "The problem is back again this afternoon.",
  "When will the technician arrive?",
  "Noted, someone will be at the reception.",
  "Thanks for the quick help!",
];

export const NOTES = [
  "Customer is on the gold contract; visit within 4 hours.",
  "Second report this month; check the maintenance history.",
  "Parts may need to be ordered from the KL warehouse.",
  "Called the customer; they confirmed the access time.",
];
