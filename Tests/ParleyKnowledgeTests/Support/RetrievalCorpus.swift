import Foundation
import ParleyStorage
import ParleyTesting

/// A corpus made for the retrieval test, the same on every run: 54 documents of five kinds (Markdown
/// town guides, HTML product pages, plain-text recipes, PDF reports, CSV staff lists) about invented
/// subjects, and 142 questions, each with the document that answers it. Questions are worded as people
/// ask them, not copied from the text ("When was X established?" of a guide that says "founded in");
/// some share no rare word with their source (only meaning finds them), some only a number (only words
/// find them).
enum RetrievalCorpus {
    struct Document {
        var name: String
        var contentType: String
        var bytes: [UInt8]
    }

    struct Question {
        var text: String
        /// The `name` of the document that answers it.
        var source: String
    }

    static let people = [
        "Amara Quist", "Bede Harrow", "Cosima Vell", "Dorian Pike", "Elsa Marrow", "Fenn Aldous", "Greta Lune",
        "Hugo Strand", "Ines Corvo", "Jasper Wren", "Kira Holt", "Lionel Bask", "Mira Stone", "Nils Ember",
        "Odile Fane", "Piet Rook", "Quinn Sable", "Rosa Teague", "Silas Moor", "Tamsin Vale",
    ]
    static let industries = [
        "salt harvesting", "clockmaking", "glass blowing", "wool weaving", "shipbuilding", "cider pressing",
        "copper mining", "paper milling", "cheese making", "rope making", "boat repair", "pottery",
    ]
    /// The industries as someone might put them without knowing the word the guide uses.
    static let industryParaphrases = [
        "evaporating seawater to get seasoning", "building timepieces", "shaping molten sand into vessels",
        "making cloth from sheep fleece", "constructing seagoing vessels", "turning apples into an alcoholic drink",
        "digging reddish metal ore out of the ground", "producing sheets for writing and printing",
        "ageing dairy products", "twisting fibres into cords", "fixing damaged small craft",
        "firing clay dishes in a kiln",
    ]
    static let climates = [
        "foggy mornings and mild winters", "dry summers and cold nights", "heavy autumn rain",
        "strong westerly winds", "long snowy winters", "warm humid summers",
    ]
    static let townStarts = ["Bran", "Dor", "Mel", "Thor", "Ast", "Kin", "Mor", "Fal", "Grim", "Hal", "Ivel", "Lark"]
    static let townEnds = [
        "wick", "holm", "stead", "ford", "ley", "by", "mouth", "ridge", "vale", "combe", "ness", "thorpe",
    ]
    static let products = [
        "kettle", "lantern", "headset", "drill", "camera", "speaker", "bicycle lamp", "thermostat",
        "scanner", "projector", "blender", "heater",
    ]
    static let brands = [
        "Zephyr", "Orbis", "Kestrel", "Nimbus", "Quartz", "Vireo", "Solace", "Tundra", "Helix", "Lumen",
        "Corvid", "Argent",
    ]
    static let dishes = [
        "barley stew", "plum tart", "leek pie", "saffron buns", "fish chowder", "walnut bread",
        "pear cake", "onion soup", "rye crackers", "apple dumplings",
    ]
    static let subjects = [
        "river pollution", "bee populations", "coastal erosion", "library visits", "bus punctuality",
        "school lunches", "street lighting", "park usage", "recycling rates", "bridge corrosion",
    ]
    static let companies = [
        "Fernhill Logistics", "Ostara Foods", "Pellucid Labs", "Quarry Lane Press", "Redbank Dairy",
        "Sallow Textiles", "Tarn Engineering", "Umber Studios", "Verity Insurance", "Willow Print",
    ]
    static let roles = [
        "accountant", "forklift driver", "chemist", "typesetter", "cheesemonger", "dye technician",
        "welder", "animator", "claims handler", "printer", "receptionist", "courier",
    ]
    static let cities = ["Lisbon", "Oslo", "Tallinn", "Porto", "Ghent", "Bergen", "Krakow", "Lyon", "Turin", "Cork"]

    static func town(_ index: Int) -> String { townStarts[index] + townEnds[(index * 5 + 3) % townEnds.count] }

    static func make() -> (documents: [Document], questions: [Question]) {
        var documents: [Document] = []
        var questions: [Question] = []
        func add(_ name: String, _ type: String, _ bytes: [UInt8]) {
            documents.append(Document(name: name, contentType: type, bytes: bytes))
        }

        for index in 0..<12 {
            let town = town(index)
            let year = 1702 + index * 23
            let founder = people[index]
            let industry = industries[index]
            let climate = climates[index % climates.count]
            let name = "\(town.lowercased())-guide.md"
            add(
                name, "text/markdown",
                Array(
                    """
                    # A visitor's guide to \(town)

                    ## History
                    \(town) was founded in \(year) by \(founder), who built the first harbour wall and the market hall.

                    ## Economy
                    The main industry of \(town) is \(industry); most families have worked in it for generations.

                    ## Climate
                    Visitors should expect \(climate). The tourist office opens at nine.
                    """.utf8))
            questions.append(Question(text: "When was \(town) established?", source: name))
            questions.append(Question(text: "What trade do most people in \(town) work in?", source: name))
            // No word of the guide but "town": found by meaning, not by words.
            questions.append(
                Question(text: "In which town do families earn a living \(industryParaphrases[index])?", source: name))
        }
        for index in 0..<12 {
            let product = "\(brands[index]) \(products[index])"
            let weight = 310 + index * 45
            let hours = 11 + index * 3
            let years = index % 4 + 1
            let name = "\(brands[index].lowercased())-\(products[index].replacingOccurrences(of: " ", with: "-")).html"
            add(
                name, "text/html",
                Array(
                    """
                    <html><head><title>\(product) — product page</title></head><body>
                    <nav>Shop | Basket | Help</nav>
                    <h1>\(product)</h1><p>The \(product) is our best-selling model this year.</p>
                    <h2>Specifications</h2><ul><li>Weight: \(weight) grams</li><li>Battery life: \(hours) hours</li></ul>
                    <h2>Warranty</h2><p>Every \(product) comes with a \(years)-year warranty covering parts and labour.</p>
                    <footer>Prices include VAT.</footer></body></html>
                    """.utf8))
            questions.append(Question(text: "How heavy is the \(product)?", source: name))
            questions.append(Question(text: "How long is the guarantee on the \(product)?", source: name))
            // Only a number ties the question to its page: found by words, not by meaning.
            questions.append(Question(text: "Which model weighs \(weight) grams?", source: name))
        }
        for index in 0..<10 {
            let dish = dishes[index]
            let temperature = 150 + index * 10
            let minutes = 20 + index * 7
            let name = "\(dish.replacingOccurrences(of: " ", with: "-"))-recipe.txt"
            add(
                name, "text/plain",
                Array(
                    """
                    Recipe: \(dish)
                    Serves four. Prepare the ingredients the evening before.
                    Bake the \(dish) in the oven at \(temperature) degrees for \(minutes) minutes, until golden.
                    Leave it to rest for ten minutes before serving.
                    """.utf8))
            questions.append(Question(text: "What oven temperature does the \(dish) need?", source: name))
            questions.append(Question(text: "How many minutes should I cook the \(dish) for?", source: name))
            questions.append(Question(text: "What needs \(minutes) minutes in the oven?", source: name))
        }
        for index in 0..<10 {
            let subject = subjects[index]
            let town = town(index)
            let percent = 12 + index * 7
            let author = people[(index + 7) % people.count]
            let name = "report-\(subject.replacingOccurrences(of: " ", with: "-")).pdf"
            let pages = [
                [
                    "Council report on \(subject) in \(town)", "Prepared by \(author) for the council.",
                    "Summary of the study.",
                ],
                ["Method", "Surveys were carried out over twelve months across every district."],
                ["Findings", "The study found that \(subject) changed by \(percent) percent since the last survey."],
                ["Recommendations", "The council should repeat the survey in three years."],
            ]
            add(name, "application/pdf", Array(PDFMaker.make(pages: pages, title: "Report on \(subject)")))
            questions.append(Question(text: "By how much did \(subject) change in \(town)?", source: name))
            questions.append(Question(text: "Who wrote the council report about \(subject)?", source: name))
        }
        for index in 0..<10 {
            let company = companies[index]
            let name = "\(company.lowercased().replacingOccurrences(of: " ", with: "-"))-staff.csv"
            var csv = "name,role,office,company\n"
            for row in 0..<6 {
                let person = people[(index * 3 + row) % people.count]
                csv +=
                    "\(person),\(roles[(index + row) % roles.count]),\(cities[(index + row * 3) % cities.count]),\(company)\n"
            }
            add(name, "text/csv", Array(csv.utf8))
            let first = people[(index * 3) % people.count]
            let second = people[(index * 3 + 4) % people.count]
            questions.append(Question(text: "What does \(first) do at \(company)?", source: name))
            questions.append(Question(text: "Which office does \(second) of \(company) work from?", source: name))
        }
        return (documents, questions)
    }
}
