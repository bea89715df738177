/**
 * Indonesian and Malay are one language written two ways: most words are shared, and a two-word message
 * often reads the same in both. What tells them apart are the words one of them uses and the other does not,
 * and a few spellings. The lists come from the standard differences between the two (Dewan Bahasa dan
 * Pustaka spelling against KBBI), not from any test data: a word is here only when it is common in one and
 * rare or spelt otherwise in the other.
 */

const MALAY_WORDS = `
kerana sahaja bahawa iaitu justeru baharu sentiasa manakala selepas menerusi sebarang tiada
wang kerajaan pelbagai mahu faham fikir fikiran berfikir cuba mencuba dicuba boleh
bas teksi polis doktor hospital jururawat pesakit ubat perubatan kesihatan sihat
syarikat mesyuarat cukai percuma kedai penghantaran hantar menghantar dihantar tempahan
akaun telefon nombor emel sila saiz kasut seluar beg minit diskaun kaunter stesen rosak
isnin khamis jumaat ahad mac jun julai ogos disember
kenderaan motosikal basikal lori keretapi trafik jambatan lebuh
perniagaan kerusi lelaki isteri kahwin berkahwin perkahwinan
peguam parlimen projek maklumat perkhidmatan khidmat khabar akhbar
inggeris perancis sepanyol muzik muzium filem
soalan jawapan kemaskini laluan talian pautan tetapan perisian membaiki pembaikan
kad ringgit malaysia jurulatih sukan pensyarah
tempatan antarabangsa kakitangan elaun percutian pelancong pelancongan
tandas tingkap petang esok bandaraya
peratus bilion berbanding pelaburan pasaran syer urusniaga eksport sokongan menyokong kempen parti
undi mengundi pengundi berjaya memulakan dimulakan
encik puan cik datuk dato tun adakah sikit nak je korang kitorang diorang awak dijangka jangkaan
bajet kos
`;

const INDONESIAN_WORDS = `
karena saja bahwa yaitu justru sesudah meskipun ketimbang terkait dampak
uang pemerintah berbagai mau paham pikir pikiran berpikir coba mencoba dicoba bisa
taksi dokter pasien obat pengobatan kesehatan sehat
kantor pajak gratis toko pemesanan paket
akun telepon nomor silakan sepatu celana tas menit diskon loket stasiun rusak keluhan
senin kamis jumat maret juni juli agustus desember
kendaraan menyetir sopir sepeda truk
bisnis kursi pria istri
pengadilan pengacara parlemen proyek layanan pelayanan kabar koran
inggris prancis spanyol musik
pertanyaan jawaban usulan saran unduh mengunduh unggah sandi daring tautan
kartu rupiah indonesia jakarta tim olahraga dosen penelitian
internasional departemen dinas tunjangan liburan wisata wisatawan pariwisata
kamar jendela lemari kulkas sore besok
persen miliar dibandingkan investasi ekspor impor dukungan mendukung kampanye partai pemilu pemilih
berhasil keberhasilan rencana kelompok grup provinsi kabupaten kecamatan kelurahan
memulai dimulai ujar ujarnya bapak mbak kalian kapan
nggak gak enggak ngga aja udah banget sih dong kok deh lho gue nih tuh gitu emang bikin pengen kalo
bareng belom makasih ongkir ongkos
`;

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter(Boolean));

const MALAY = words(MALAY_WORDS);
const INDONESIAN = words(INDONESIAN_WORDS);

// Malay keeps the English "-ity" as -iti (universiti, kualiti), Indonesian the Dutch "-iteit" as -itas
// (universitas, kualitas); the few native words ending so are shorter or listed.
const MALAY_ITI = /^[a-z]{4,}iti$/;
const NATIVE_ITI = new Set(['teliti', 'meneliti', 'diteliti', 'meniti']);
const INDONESIAN_ITAS = /^[a-z]{3,}itas$/;

// The clitic pronouns and particles both languages attach to any word.
const CLITIC = /(?:nya|lah|kah|pun)$/;

function vote(word: string): 'id' | 'ms' | null {
  if (MALAY.has(word)) return 'ms';
  if (INDONESIAN.has(word)) return 'id';
  if (MALAY_ITI.test(word) && !NATIVE_ITI.has(word)) return 'ms';
  if (INDONESIAN_ITAS.test(word)) return 'id';
  return null;
}

/**
 * How many of the words read as Indonesian and how many as Malay. Words are lower-case; a word the two write
 * alike counts for neither, so two zeros mean the text cannot tell.
 */
export function malayVarietyEvidence(words: readonly string[]): { id: number; ms: number } {
  const evidence = { id: 0, ms: 0 };
  for (const word of words) {
    const stem = word.length > 6 ? word.replace(CLITIC, '') : word;
    const variety = vote(word) ?? vote(stem);
    if (variety) evidence[variety] += 1;
  }
  return evidence;
}
