//! Nationality adjectives and demonyms ("Japanese", "Britons") and the country they name, so
//! that an article about "Japanese exports" counts as naming Japan.

use super::words::{FastMap, WordFilter};
use std::sync::OnceLock;

/// Country (as the alias map spells it) -> its adjectives and demonyms, capitalised as
/// written. Two-word forms ("South Korean") are matched as two tokens.
const TABLE: &[(&str, &[&str])] = &[
    ("Afghanistan", &["Afghan", "Afghans"]),
    ("Albania", &["Albanian", "Albanians"]),
    ("Algeria", &["Algerian", "Algerians"]),
    ("Angola", &["Angolan", "Angolans"]),
    (
        "Argentina",
        &["Argentine", "Argentinian", "Argentines", "Argentinians"],
    ),
    ("Armenia", &["Armenian", "Armenians"]),
    ("Australia", &["Australian", "Australians"]),
    ("Austria", &["Austrian", "Austrians"]),
    (
        "Azerbaijan",
        &["Azerbaijani", "Azerbaijanis", "Azeri", "Azeris"],
    ),
    ("Bahrain", &["Bahraini", "Bahrainis"]),
    ("Bangladesh", &["Bangladeshi", "Bangladeshis"]),
    ("Belarus", &["Belarusian", "Belarusians", "Belarussian"]),
    ("Belgium", &["Belgian", "Belgians"]),
    ("Bolivia", &["Bolivian", "Bolivians"]),
    ("Bosnia", &["Bosnian", "Bosnians"]),
    ("Brazil", &["Brazilian", "Brazilians"]),
    ("Bulgaria", &["Bulgarian", "Bulgarians"]),
    ("Burma", &["Burmese"]),
    ("Cambodia", &["Cambodian", "Cambodians"]),
    ("Cameroon", &["Cameroonian", "Cameroonians"]),
    ("Canada", &["Canadian", "Canadians"]),
    ("Chile", &["Chilean", "Chileans"]),
    ("China", &["Chinese"]),
    ("Colombia", &["Colombian", "Colombians"]),
    ("Congo", &["Congolese"]),
    ("Costa Rica", &["Costa Rican", "Costa Ricans"]),
    ("Croatia", &["Croatian", "Croatians", "Croat", "Croats"]),
    ("Cuba", &["Cuban", "Cubans"]),
    ("Cyprus", &["Cypriot", "Cypriots"]),
    ("Czech Republic", &["Czech", "Czechs"]),
    ("Denmark", &["Danish", "Dane", "Danes"]),
    ("Dominican Republic", &["Dominican", "Dominicans"]),
    ("Ecuador", &["Ecuadorian", "Ecuadorians", "Ecuadorean"]),
    ("Egypt", &["Egyptian", "Egyptians"]),
    ("El Salvador", &["Salvadoran", "Salvadorans", "Salvadorean"]),
    ("Eritrea", &["Eritrean", "Eritreans"]),
    ("Estonia", &["Estonian", "Estonians"]),
    ("Ethiopia", &["Ethiopian", "Ethiopians"]),
    ("Fiji", &["Fijian", "Fijians"]),
    ("Finland", &["Finnish", "Finn", "Finns"]),
    ("France", &["French", "Frenchman", "Frenchmen"]),
    ("Georgia", &["Georgian", "Georgians"]),
    ("Germany", &["German", "Germans"]),
    ("Ghana", &["Ghanaian", "Ghanaians"]),
    ("Greece", &["Greek", "Greeks"]),
    ("Guatemala", &["Guatemalan", "Guatemalans"]),
    ("Haiti", &["Haitian", "Haitians"]),
    ("Honduras", &["Honduran", "Hondurans"]),
    ("Hungary", &["Hungarian", "Hungarians"]),
    ("Iceland", &["Icelandic", "Icelander", "Icelanders"]),
    ("India", &["Indian", "Indians"]),
    ("Indonesia", &["Indonesian", "Indonesians"]),
    ("Iran", &["Iranian", "Iranians"]),
    ("Iraq", &["Iraqi", "Iraqis"]),
    ("Ireland", &["Irish", "Irishman"]),
    ("Israel", &["Israeli", "Israelis"]),
    ("Italy", &["Italian", "Italians"]),
    ("Jamaica", &["Jamaican", "Jamaicans"]),
    ("Japan", &["Japanese"]),
    ("Jordan", &["Jordanian", "Jordanians"]),
    ("Kazakhstan", &["Kazakh", "Kazakhs", "Kazakhstani"]),
    ("Kenya", &["Kenyan", "Kenyans"]),
    ("Kuwait", &["Kuwaiti", "Kuwaitis"]),
    ("Kyrgyzstan", &["Kyrgyz"]),
    ("Laos", &["Laotian", "Laotians", "Lao"]),
    ("Latvia", &["Latvian", "Latvians"]),
    ("Lebanon", &["Lebanese"]),
    ("Liberia", &["Liberian", "Liberians"]),
    ("Libya", &["Libyan", "Libyans"]),
    ("Lithuania", &["Lithuanian", "Lithuanians"]),
    ("Luxembourg", &["Luxembourgish"]),
    ("Madagascar", &["Malagasy"]),
    ("Malawi", &["Malawian", "Malawians"]),
    ("Malaysia", &["Malaysian", "Malaysians"]),
    ("Mali", &["Malian", "Malians"]),
    ("Malta", &["Maltese"]),
    ("Mauritania", &["Mauritanian", "Mauritanians"]),
    ("Mexico", &["Mexican", "Mexicans"]),
    ("Moldova", &["Moldovan", "Moldovans"]),
    ("Mongolia", &["Mongolian", "Mongolians"]),
    ("Montenegro", &["Montenegrin", "Montenegrins"]),
    ("Morocco", &["Moroccan", "Moroccans"]),
    ("Mozambique", &["Mozambican", "Mozambicans"]),
    ("Myanmar", &["Myanmarese"]),
    ("Namibia", &["Namibian", "Namibians"]),
    ("Nepal", &["Nepalese", "Nepali", "Nepalis"]),
    ("Netherlands", &["Dutch", "Dutchman"]),
    ("New Zealand", &["Zealander", "Zealanders"]),
    ("Nicaragua", &["Nicaraguan", "Nicaraguans"]),
    ("Niger", &["Nigerien", "Nigeriens"]),
    ("Nigeria", &["Nigerian", "Nigerians"]),
    ("North Korea", &["North Korean", "North Koreans"]),
    ("Norway", &["Norwegian", "Norwegians"]),
    ("Oman", &["Omani", "Omanis"]),
    ("Pakistan", &["Pakistani", "Pakistanis"]),
    ("Palestine", &["Palestinian", "Palestinians"]),
    ("Panama", &["Panamanian", "Panamanians"]),
    ("Paraguay", &["Paraguayan", "Paraguayans"]),
    ("Peru", &["Peruvian", "Peruvians"]),
    (
        "Philippines",
        &["Philippine", "Filipino", "Filipinos", "Filipina"],
    ),
    ("Poland", &["Polish", "Pole", "Poles"]),
    ("Portugal", &["Portuguese"]),
    ("Qatar", &["Qatari", "Qataris"]),
    ("Romania", &["Romanian", "Romanians"]),
    ("Russia", &["Russian", "Russians"]),
    ("Rwanda", &["Rwandan", "Rwandans"]),
    ("Samoa", &["Samoan", "Samoans"]),
    ("Saudi Arabia", &["Saudi", "Saudis"]),
    ("Senegal", &["Senegalese"]),
    ("Serbia", &["Serbian", "Serbians", "Serb", "Serbs"]),
    ("Sierra Leone", &["Sierra Leonean"]),
    ("Singapore", &["Singaporean", "Singaporeans"]),
    ("Slovakia", &["Slovak", "Slovaks", "Slovakian"]),
    (
        "Slovenia",
        &["Slovenian", "Slovenians", "Slovene", "Slovenes"],
    ),
    ("Somalia", &["Somali", "Somalis"]),
    ("South Africa", &["South African", "South Africans"]),
    ("South Korea", &["South Korean", "South Koreans"]),
    ("South Sudan", &["South Sudanese"]),
    ("Spain", &["Spanish", "Spaniard", "Spaniards"]),
    ("Sri Lanka", &["Sri Lankan", "Sri Lankans"]),
    ("Sudan", &["Sudanese"]),
    ("Sweden", &["Swedish", "Swede", "Swedes"]),
    ("Switzerland", &["Swiss"]),
    ("Syria", &["Syrian", "Syrians"]),
    ("Taiwan", &["Taiwanese"]),
    ("Tajikistan", &["Tajik", "Tajiks"]),
    ("Tanzania", &["Tanzanian", "Tanzanians"]),
    ("Thailand", &["Thai", "Thais"]),
    ("Tonga", &["Tongan", "Tongans"]),
    ("Tunisia", &["Tunisian", "Tunisians"]),
    ("Turkey", &["Turkish", "Turk", "Turks"]),
    ("Turkmenistan", &["Turkmen"]),
    ("Uganda", &["Ugandan", "Ugandans"]),
    ("Ukraine", &["Ukrainian", "Ukrainians"]),
    ("United Arab Emirates", &["Emirati", "Emiratis"]),
    ("United Kingdom", &["British", "Briton", "Britons"]),
    ("United States", &["American", "Americans"]),
    ("Uruguay", &["Uruguayan", "Uruguayans"]),
    ("Uzbekistan", &["Uzbek", "Uzbeks"]),
    ("Venezuela", &["Venezuelan", "Venezuelans"]),
    ("Vietnam", &["Vietnamese"]),
    ("Yemen", &["Yemeni", "Yemenis"]),
    ("Zambia", &["Zambian", "Zambians"]),
    ("Zimbabwe", &["Zimbabwean", "Zimbabweans"]),
    ("Hong Kong", &["Hong Konger", "Hong Kongers"]),
    ("England", &["English", "Englishman"]),
    ("Scotland", &["Scottish", "Scot", "Scots"]),
    ("Wales", &["Welsh", "Welshman"]),
    ("Soviet Union", &["Soviet", "Soviets"]),
];

/// One-word forms -> country; two-word forms by their first word -> (second word, country).
struct Demonyms {
    one: FastMap<&'static str, &'static str>,
    two: FastMap<&'static str, Vec<(&'static str, &'static str)>>,
    /// Pre-check on first letter and length of the first words, before hashing.
    first: WordFilter,
}

fn demonyms() -> &'static Demonyms {
    static D: OnceLock<Demonyms> = OnceLock::new();
    D.get_or_init(|| {
        let mut d = Demonyms {
            one: FastMap::default(),
            two: FastMap::default(),
            first: WordFilter::new([]),
        };
        for &(country, forms) in TABLE {
            for form in forms {
                match form.split_once(' ') {
                    Some((a, b)) => d.two.entry(a).or_default().push((b, country)),
                    None => {
                        d.one.insert(form, country);
                    }
                }
            }
        }
        let firsts: Vec<&str> = d.one.keys().chain(d.two.keys()).copied().collect();
        d.first = WordFilter::new(firsts.iter().copied());
        d
    })
}

/// The country named by a demonym at `words[i]`, and how many words it takes (1 or 2). In
/// ALL-CAPS text (`caps`) words are read with a capital initial ("JAPANESE").
pub(crate) fn demonym_at(words: &[&str], i: usize, caps: bool) -> Option<(&'static str, usize)> {
    let w = *words.get(i)?;
    if !w.starts_with(|c: char| c.is_ascii_uppercase()) || w.len() > 16 {
        return None;
    }
    let d = demonyms();
    if !caps && !d.first.admits(w) {
        return None;
    }
    if caps {
        let cap = |w: &str| {
            let mut s = w.to_ascii_lowercase();
            s[..1].make_ascii_uppercase();
            s
        };
        let first = cap(w);
        if let (Some(list), Some(next)) = (d.two.get(first.as_str()), words.get(i + 1)) {
            if let Some(&(_, country)) = list.iter().find(|(b, _)| b.eq_ignore_ascii_case(next)) {
                return Some((country, 2));
            }
        }
        return d.one.get(first.as_str()).map(|&c| (c, 1));
    }
    if let (Some(list), Some(next)) = (d.two.get(w), words.get(i + 1)) {
        if let Some(&(_, country)) = list.iter().find(|(b, _)| b == next) {
            return Some((country, 2));
        }
    }
    d.one.get(w).map(|&c| (c, 1))
}

/// The country a nationality adjective or demonym names ("Japanese" -> "Japan"), if any.
pub fn country_of_demonym(word: &str) -> Option<&'static str> {
    let words: Vec<&str> = word.split(' ').collect();
    demonym_at(&words, 0, false)
        .filter(|&(_, n)| n == words.len())
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demonyms_name_their_country() {
        assert_eq!(country_of_demonym("Japanese"), Some("Japan"));
        assert_eq!(country_of_demonym("Britons"), Some("United Kingdom"));
        assert_eq!(country_of_demonym("South Korean"), Some("South Korea"));
        assert_eq!(country_of_demonym("South"), None);
        assert_eq!(country_of_demonym("japanese"), None);
        assert_eq!(
            demonym_at(&["the", "French", "government"], 1, false),
            Some(("France", 1))
        );
        assert_eq!(
            demonym_at(&["SOUTH", "KOREAN", "EXPORTS"], 0, true),
            Some(("South Korea", 2))
        );
    }
}
