// Malaysia's 13 states and 3 federal territories, with the coordinates of each capital: the
// demo organization's service territories (field service reuses them).
export interface Zone {
  code: string;
  name: string;
  capital: string;
  lat: number;
  lng: number;
}

export const ZONES: readonly Zone[] = [
  { code: "JHR", name: "Johor", capital: "Johor Bahru", lat: 1.4927, lng: 103.7414 },
  { code: "KDH", name: "Kedah", capital: "Alor Setar", lat: 6.1248, lng: 100.3678 },
  { code: "KTN", name: "Kelantan", capital: "Kota Bharu", lat: 6.1254, lng: 102.2381 },
  { code: "MLK", name: "Melaka", capital: "Melaka", lat: 2.1896, lng: 102.2501 },
  { code: "NSN", name: "Negeri Sembilan", capital: "Seremban", lat: 2.7297, lng: 101.9381 },
  { code: "PHG", name: "Pahang", capital: "Kuantan", lat: 3.8077, lng: 103.326 },
  { code: "PRK", name: "Perak", capital: "Ipoh", lat: 4.5975, lng: 101.0901 },
  { code: "PLS", name: "Perlis", capital: "Kangar", lat: 6.4414, lng: 100.1986 },
  { code: "PNG", name: "Pulau Pinang", capital: "George Town", lat: 5.4141, lng: 100.3288 },
  { code: "SBH", name: "Sabah", capital: "Kota Kinabalu", lat: 5.9804, lng: 116.0735 },
  { code: "SWK", name: "Sarawak", capital: "Kuching", lat: 1.5535, lng: 110.3593 },
  { code: "SGR", name: "Selangor", capital: "Shah Alam", lat: 3.0738, lng: 101.5183 },
  { code: "TRG", name: "Terengganu", capital: "Kuala Terengganu", lat: 5.3302, lng: 103.1408 },
  { code: "KUL", name: "Kuala Lumpur", capital: "Kuala Lumpur", lat: 3.139, lng: 101.6869 },
  { code: "LBN", name: "Labuan", capital: "Victoria", lat: 5.2831, lng: 115.2308 },
  { code: "PJY", name: "Putrajaya", capital: "Putrajaya", lat: 2.9264, lng: 101.6964 },
];
