import Foundation
import RecCore
import Testing

struct TitleNormalizerTests {
    @Test(arguments: [
        ("Star Wars: Episode IV - A New Hope (1977)", "star wars episode iv a new hope 1977"),
        ("Misérables, Les (1995)", "les miserables 1995"),
        ("  TOY   story  ", "toy story"),
        ("Alien³ (1992)", "alien3 1992"),
        ("Et Dieu&#8230;Créa la Femme", "et dieu crea la femme"),
        ("Et Dieu&#x2026;Créa la Femme", "et dieu crea la femme"),
        ("AT&#", "at and"),
        ("Oscar & Lucinda", "oscar and lucinda"),
        ("ＴＯＹ ＳＴＯＲＹ", "toy story"),
        ("Kjærlighetens kjøtere", "kjaerlighetens kjotere"),
        ("Straße", "strasse"),
    ])
    func foldsCaseAccentsAndPunctuation(title: String, normalized: String) {
        #expect(TitleNormalizer.normalize(title) == normalized)
    }

    @Test(arguments: [
        ("Lord of the Rings, The (1978)", "the lord of the rings 1978"),
        ("lord of the rings, the", "the lord of the rings"),
        ("Bewegte Mann, Der (1994)", "der bewegte mann 1994"),
        ("Children Are Watching us, The (Bambini ci guardano, I) (1942)", "the children are watching us i bambini ci guardano 1942"),
        ("Seventh Seal, The (Sjunde inseglet, Det) (1957)", "the seventh seal det sjunde inseglet 1957"),
        ("Enfer, L' (1994)", "lenfer 1994"),
        ("Enfer, L’", "lenfer"),
        ("Paris, Texas (1984)", "paris texas 1984"),
        ("Honey, I Shrunk the Kids (1989)", "honey i shrunk the kids 1989"),
        (", The", "the"),
    ])
    func movesTrailingArticlesOnly(title: String, normalized: String) {
        #expect(TitleNormalizer.normalize(title) == normalized)
    }

    @Test(arguments: [
        ("L.A. Confidential", "la confidential"),
        ("Sunset Blvd. (a.k.a. Sunset Boulevard)", "sunset blvd aka sunset boulevard"),
        ("Dr. Strangelove", "dr strangelove"),
        ("Schindler's List", "schindlers list"),
        ("Schindler’s List", "schindlers list"),
        ("Dieu...Créa", "dieu crea"),
    ])
    func joinsApostrophesAndAbbreviationDots(title: String, normalized: String) {
        #expect(TitleNormalizer.normalize(title) == normalized)
    }

    @Test func foldsDecomposedAccentsLikePrecomposedOnes() {
        #expect(TitleNormalizer.normalize("Cre\u{301}a la Femme") == TitleNormalizer.normalize("Créa la Femme"))
        #expect(TitleNormalizer.normalize("Mise\u{301}rables, Les") == "les miserables")
    }

    /// Every Latin-1 and Latin Extended-A letter folds to its canonical decomposition without
    /// marks, except the letters Unicode does not decompose, which are spelled out.
    @Test func foldsLatinLettersLikeUnicodeDecomposition() {
        let spelledOut: [Unicode.Scalar: String] = [
            "Æ": "ae", "æ": "ae", "Ð": "d", "ð": "d", "Ø": "o", "ø": "o", "Þ": "th", "þ": "th", "ß": "ss",
            "Đ": "d", "đ": "d", "Ħ": "h", "ħ": "h", "ı": "i", "ĸ": "k", "Ŀ": "l", "ŀ": "l", "Ł": "l", "ł": "l",
            "ŉ": "n", "Ŋ": "n", "ŋ": "n", "Œ": "oe", "œ": "oe", "Ŧ": "t", "ŧ": "t",
        ]
        for value in UInt32(0xA0)...0x17F {
            guard let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic else { continue }
            let decomposed = String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars
                .filter { $0.properties.generalCategory != .nonspacingMark }
            let expected = spelledOut[scalar] ?? String(String.UnicodeScalarView(decomposed)).lowercased()
            #expect(TitleNormalizer.normalize(String(scalar)) == expected, "U+\(String(value, radix: 16, uppercase: true))")
        }
    }

    @Test func readsTheYearOnlyFromTrailingParentheses() {
        #expect(TitleNormalizer.normalize("1941 (1979)") == "1941 1979")
        #expect(TitleNormalizer.normalize("Death Race 2000 (1975)") == "death race 2000 1975")
        #expect(TitleNormalizer.indexKeys(of: "Death Race 2000 (1975)").map(\.text) == ["death race 2000"])
        #expect(TitleNormalizer.indexKeys(of: "Death Race 2000 (1975)").map(\.kind.year) == [1975])
        #expect(TitleNormalizer.indexKeys(of: "Blackmail (0929)").allSatisfy { $0.kind.year == nil })
    }

    @Test(arguments: ["", "   ", "!!!", "(((", ")))", "()", "😀🎬", "\u{301}\u{301}", "\u{200D}", "\0"])
    func normalizesNothingToEmptyText(title: String) {
        #expect(TitleNormalizer.normalize(title).isEmpty)
        #expect(TitleNormalizer.indexKeys(of: title).isEmpty)
    }

    @Test func survivesUnbalancedParentheses() {
        #expect(TitleNormalizer.normalize("((((Toy Story") == "toy story")
        #expect(TitleNormalizer.normalize("Toy Story (") == "toy story")
        #expect(TitleNormalizer.normalize("Toy Story ))") == "toy story")
        #expect(TitleNormalizer.normalize("(500) Days") == "500 days")
    }

    @Test func readsAtMostTheMaximumInputLength() {
        let long = String(repeating: "a", count: 10_000)
        #expect(TitleNormalizer.normalize(long) == String(repeating: "a", count: TitleNormalizer.maximumInputLength))
        let words = String(repeating: "é ", count: 10_000)
        #expect(TitleNormalizer.normalize(words).count == TitleNormalizer.maximumInputLength - 1)
    }

    @Test func keysAMovieByEveryFormOfItsTitle() {
        let keys = TitleNormalizer.indexKeys(of: "Mad Max 2 (a.k.a. The Road Warrior) (1981)")
        #expect(
            keys == [
                TitleIndexKey(text: "mad max 2", kind: TitleKeyKind(form: .title, year: 1981)),
                TitleIndexKey(text: "the road warrior", kind: TitleKeyKind(form: .alternateTitle, year: 1981)),
                TitleIndexKey(text: "mad max 2 aka the road warrior", kind: TitleKeyKind(form: .fullTitle, year: 1981)),
            ])
    }

    @Test func keysATrailingArticleBothWays() {
        let keys = TitleNormalizer.indexKeys(of: "Lord of the Rings, The (1978)")
        #expect(
            keys == [
                TitleIndexKey(text: "the lord of the rings", kind: TitleKeyKind(form: .title, year: 1978)),
                TitleIndexKey(text: "lord of the rings", kind: TitleKeyKind(form: .titleWithoutArticle, year: 1978)),
            ])
        let alternates = TitleNormalizer.indexKeys(of: "Midaq Alley (Callejón de los milagros, El) (1995)")
        #expect(
            alternates.map(\.text) == [
                "midaq alley", "el callejon de los milagros", "callejon de los milagros",
                "midaq alley el callejon de los milagros",
            ])
        #expect(alternates.map(\.kind.form) == [.title, .alternateTitle, .alternateTitleWithoutArticle, .fullTitle])
    }

    @Test func splitsAlternateGroupsAtSlashesAndAlsoKnownAs() {
        #expect(
            TitleNormalizer.indexKeys(of: "Hard 8 (a.k.a. Sydney, a.k.a. Hard Eight) (1996)").map(\.text)
                == ["hard 8", "sydney", "hard eight", "hard 8 aka sydney aka hard eight"])
        #expect(
            TitleNormalizer.indexKeys(of: "Communion (a.k.a. Alice, Sweet Alice/Holy Terror) (1977)").map(\.text)
                == ["communion", "alice sweet alice", "holy terror", "communion aka alice sweet alice holy terror"])
    }

    @Test func storesKindsAndYearsInOneWord() {
        for form in TitleKeyKind.Form.allCases {
            for year in [nil, 1, 1995, 65_535] as [Int?] {
                let kind = TitleKeyKind(form: form, year: year)
                #expect(TitleKeyKind(rawValue: kind.rawValue) == kind)
                #expect(TitleKeyKind.year(rawValue: kind.rawValue) == year)
            }
        }
        #expect(TitleKeyKind(form: .title, year: 70_000).year == nil)
        #expect(TitleKeyKind(rawValue: 0x07CB_00FF) == nil)
        #expect(TitleKeyKind.year(rawValue: 0x07CB_00FF) == 1995)
    }
}
