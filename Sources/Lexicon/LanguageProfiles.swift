extension Lexicon {
    /// Each language's most frequent words, lower case, for telling languages of one script apart. They are kept
    /// apart from `functionWords`, which merges languages: identification needs each language's own list, and
    /// short lists of its commonest words (a longer list adds words its neighbours share and blurs them).
    public static let languageProfiles: [(String, Set<String>)] = [
        (
            "en",
            [
                "the", "of", "and", "to", "in", "is", "that", "for", "it", "was", "with", "on", "as", "by", "he", "are",
                "this", "from", "have", "but", "they", "which", "has", "were", "would", "their", "been", "will",
            ]
        ),
        (
            "fr",
            [
                "le", "la", "les", "de", "des", "du", "et", "est", "une", "un", "dans", "pour", "que", "qui", "sur",
                "pas", "au", "aux", "avec", "par", "ce", "cette", "sont", "ont", "il", "elle", "ses", "leur", "mais",
                "été",
            ]
        ),
        (
            "de",
            [
                "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "mit", "sich", "auf", "für",
                "von", "dem", "des", "auch", "es", "im", "wird", "sind", "wurde", "nach", "bei", "aus", "über", "noch",
            ]
        ),
        (
            "es",
            [
                "el", "la", "los", "las", "de", "y", "que", "en", "un", "una", "por", "con", "para", "es", "del", "se",
                "su", "al", "lo", "como", "más", "pero", "sus", "fue", "este", "ha", "son", "también",
            ]
        ),
        (
            "it",
            [
                "il", "la", "di", "che", "e", "è", "per", "un", "una", "in", "del", "della", "non", "sono", "con",
                "gli", "le", "si", "da", "alla", "nel", "anche", "più", "ha", "questo", "delle", "dei",
            ]
        ),
        (
            "pt",
            [
                "o", "a", "os", "as", "de", "do", "da", "dos", "das", "e", "que", "em", "um", "uma", "para", "com",
                "não", "por", "se", "no", "na", "mais", "foi", "ao", "pelo", "pela", "são", "também",
            ]
        ),
        (
            "nl",
            [
                "de", "het", "een", "en", "van", "is", "dat", "op", "te", "in", "zijn", "voor", "met", "niet", "aan",
                "er", "ook", "als", "bij", "wordt", "door", "maar", "naar", "deze", "werd", "heeft", "nog",
            ]
        ),
        (
            "sv",
            [
                "och", "att", "det", "som", "en", "är", "av", "för", "på", "med", "till", "den", "har", "inte", "om",
                "ett", "var", "jag", "men", "så", "från", "kan", "vid", "sig", "också",
            ]
        ),
        (
            "pl",
            [
                "i", "w", "nie", "na", "się", "z", "do", "że", "to", "jest", "o", "jak", "po", "ale", "przez", "od",
                "są", "dla", "za", "tak", "jego", "tym", "oraz", "już",
            ]
        ),
        (
            "tr",
            [
                "ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "en", "gibi", "olan", "sonra",
                "ama", "kadar", "her", "değil", "var", "ise",
            ]
        ),
        (
            "ru",
            [
                "и", "в", "не", "на", "что", "с", "по", "он", "как", "это", "из", "за", "его", "от", "но", "к", "о",
                "для", "так", "уже", "был", "она", "также", "при",
            ]
        ),
        (
            "uk",
            [
                "і", "в", "не", "на", "що", "з", "у", "та", "як", "до", "за", "від", "це", "його", "але", "про", "для",
                "також", "вже", "був", "які",
            ]
        ),
    ]
}
