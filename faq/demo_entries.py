"""Demo FAQ entries for `seed_demo`: written for the demo, in Swedish and English."""

from typing import TypedDict


class DemoEntry(TypedDict):
    title: str
    answer: str
    language: str
    topic: str
    tags: list[str]


DEMO_ENTRIES: list[DemoEntry] = [
    # --- Svenska -------------------------------------------------------------------------------
    {
        "title": "Var hittar jag vår sociala medier-policy och vad står det i den?",
        "answer": (
            "Vår sociala medier-policy finns på intranätet under Kommunikation. Den är kort och "
            "gäller alla medarbetare, oavsett om du arbetar med kommunikation eller inte.\n\n"
            "Policyn bygger på några grundregler:\n\n"
            "- Du företräder organisationen bara i de kanaler där du har fått i uppdrag att göra "
            "det.\n"
            "- Sekretessbelagda uppgifter och personuppgifter om dem vi möter i arbetet "
            "publiceras aldrig.\n"
            "- Tonen ska vara saklig och vänlig, även när andra inte är det.\n"
            "- Kommentarer och meddelanden i våra kanaler hanteras enligt reglerna för allmänna "
            "handlingar.\n\n"
            "Till policyn hör riktlinjer med konkreta exempel, bland annat om bilder, kommentarer "
            "och kriser. Är du osäker på hur något ska tolkas är du välkommen till frågestunden."
        ),
        "topic": "guidelines",
        "language": "sv",
        "tags": ["policy", "riktlinjer", "intranät"],
    },
    {
        "title": "Gäller policyn även när jag skriver på mitt privata konto?",
        "answer": (
            "Inte på samma sätt. På ditt privata konto är du privatperson och har samma "
            "yttrandefrihet som alla andra. Arbetsgivaren bestämmer inte vad du tycker eller "
            "skriver på din fritid.\n\n"
            "Några saker gäller ändå även privat:\n\n"
            "- Tystnadsplikt och sekretess följer med dig, också på kvällar och helger.\n"
            "- Skriver du om jobbet, var tydlig med att det är din egen uppfattning och inte "
            "organisationens.\n"
            "- Det du skriver kan kopplas ihop med din yrkesroll, särskilt om det framgår av "
            "profilen var du arbetar.\n\n"
            "Det du gör privat blir bara en fråga för arbetsgivaren i undantagsfall, till exempel "
            "om du röjer sekretessbelagda uppgifter eller allvarligt skadar förtroendet för din "
            "yrkesroll. Prata gärna med din chef eller med oss om du känner dig osäker."
        ),
        "topic": "private-professional",
        "language": "sv",
        "tags": ["policy", "privat", "yttrandefrihet"],
    },
    {
        "title": "Får jag dela min chefs inlägg på LinkedIn från mitt privata konto?",
        "answer": (
            "Ja, det får du gärna göra om du tycker att inlägget är intressant för ditt nätverk. "
            "När medarbetare delar når informationen ofta längre än när bara organisationen "
            "publicerar.\n\n"
            "Tänk på det här:\n\n"
            "- Det är frivilligt. Ingen kan kräva att du använder ditt privata konto i jobbet, "
            "och det är helt i sin ordning att låta bli.\n"
            "- Skriv gärna en egen rad om varför du delar. Det ger mer än en ren delning.\n"
            "- Dela bara det som redan är publicerat. Interna uppgifter som ännu inte är "
            "offentliggjorda ska inte ut via ditt konto.\n"
            "- Får du en fråga som gäller organisationen kan du hänvisa till vår officiella sida "
            "eller tipsa oss, så svarar vi.\n\n"
            "Vill chefen att fler ska dela kan kommunikationsavdelningen hjälpa till med en kort "
            "text som är lätt att använda."
        ),
        "topic": "private-professional",
        "language": "sv",
        "tags": ["linkedin", "delning", "chefer", "privat"],
    },
    {
        "title": "En journalist kontaktade mig via LinkedIn om mitt arbete. Hur ska jag svara?",
        "answer": (
            "Du bestämmer själv om du vill svara. Som anställd i offentlig sektor har du "
            "**meddelarfrihet**: du har rätt att lämna uppgifter till medier för publicering, "
            "med undantag för vissa uppgifter som omfattas av sekretess. Arbetsgivaren får inte "
            "efterforska vem som har pratat med journalisten och får inte straffa någon för "
            "det.\n\n"
            "Vill journalisten att du uttalar dig för organisationens räkning rekommenderar vi "
            "följande:\n\n"
            "- Fråga vad artikeln handlar om, vilken redaktion det gäller och när deadline är.\n"
            "- Svara inte direkt i chatten om du är osäker, utan be att få återkomma.\n"
            "- Kontakta presstjänsten, så hjälper vi dig att förbereda svaret eller hittar rätt "
            "talesperson.\n\n"
            "Presstjänsten nås på telefon och via funktionsbrevlådan som finns på intranätet."
        ),
        "topic": "guidelines",
        "language": "sv",
        "tags": ["journalister", "media", "meddelarfrihet"],
    },
    {
        "title": "Vad händer med våra kanaler i sociala medier om det blir en kris?",
        "answer": (
            "Sociala medier är en del av organisationens krishantering och styrs av "
            "krisledningen, precis som webbplatsen och pressarbetet. Kanalerna ska aldrig skötas "
            "av en ensam medarbetare vid sidan av.\n\n"
            "När krisorganisationen aktiveras gör kommunikationsavdelningen så här:\n\n"
            "- Pausar alla schemalagda inlägg, så att inget olämpligt publiceras av misstag.\n"
            "- Publicerar samma bekräftade information i alla kanaler och länkar till "
            "webbplatsen, där den mest utförliga informationen finns.\n"
            "- Bevakar vad som skrivs och samlar frågor och rykten som behöver bemötas.\n"
            "- Bemannar kommentarsfälten tätare än vanligt, även kvällar och helger om det "
            "behövs.\n\n"
            "Kriskommunikation handlar om att vara snabb men korrekt. Vi spekulerar aldrig och "
            "säger hellre att vi återkommer än gissar. Rutinerna finns i krisledningsplanen på "
            "intranätet."
        ),
        "topic": "crisis",
        "language": "sv",
        "tags": ["kris", "krishantering", "kriskommunikation"],
    },
    {
        "title": "Får jag skriva om en pågående kris på mitt privata konto?",
        "answer": (
            "Ja, du har samma yttrandefrihet under en kris som annars. Men i en kris sprids "
            "felaktig information snabbt, och du som arbetar här uppfattas ofta som en källa, "
            "även när du skriver privat.\n\n"
            "Därför ber vi dig att:\n\n"
            "- dela organisationens officiella uppdateringar i stället för att formulera egna "
            "uppgifter om läget,\n"
            "- inte sprida obekräftade uppgifter eller spekulera om orsaker och ansvar,\n"
            "- tänka på sekretessen, särskilt när det gäller enskilda personer som berörs,\n"
            "- hänvisa journalister och andra som vill ha organisationens besked till "
            "presstjänsten.\n\n"
            "Ser du rykten eller felaktigheter som sprids, skicka gärna en länk till "
            "kommunikationsavdelningen. Det är en viktig del av krisarbetet att vi vet vad som "
            "sägs, så att vi kan bemöta det i våra kanaler."
        ),
        "topic": "crisis",
        "language": "sv",
        "tags": ["kris", "privat", "rykten"],
    },
    {
        "title": "Hur modererar vi kommentarerna på organisationens Facebooksida?",
        "answer": (
            "Facebooksidan bevakas varje vardag av kommunikationsavdelningen, och sidans "
            "kommentarsregler är publicerade på sidan. Reglerna är viktiga eftersom vi som "
            "offentlig organisation måste behandla alla lika och inte får ta bort kommentarer "
            "bara för att de är kritiska mot oss.\n\n"
            "Vi döljer eller tar bort kommentarer som:\n\n"
            "- innehåller hot, trakasserier eller kränkningar,\n"
            "- kan vara brottsliga, till exempel hets mot folkgrupp,\n"
            "- innehåller personuppgifter om andra eller känsliga uppgifter om den som skriver,\n"
            "- är reklam eller helt saknar koppling till inlägget.\n\n"
            "Enligt lagen om elektroniska anslagstavlor är vi dessutom skyldiga att ta bort "
            "vissa uppenbart brottsliga inlägg. Sakfrågor besvarar vi oftast samma dag, och "
            "gäller frågan ditt område kan vi be dig om underlag. Ser du något som borde tas "
            "bort, tipsa oss hellre än att svara själv."
        ),
        "topic": "comments-moderation",
        "language": "sv",
        "tags": ["facebook", "kommentarer", "moderering"],
    },
    {
        "title": "Får vi radera en kommentar, och måste den i så fall sparas?",
        "answer": (
            "Ja, vi får ta bort kommentarer som bryter mot sidans kommentarsregler. Men en "
            "kommentar på vår sida är som regel en allmän handling enligt "
            "offentlighetsprincipen, och det påverkar hur vi gör.\n\n"
            "1. Spara kommentaren innan den tas bort, med vårt arkiveringsverktyg eller en "
            "skärmbild, så att det framgår vem som skrev vad och när.\n"
            "2. Notera varför den togs bort och vilken regel den bröt mot.\n"
            "3. Radera aldrig något bara för att det är obekvämt. Det strider mot kravet på "
            "saklighet och opartiskhet.\n\n"
            "Vad som får gallras, och när, styrs av vår dokumenthanteringsplan. Ren spam utan "
            "betydelse för verksamheten kan gallras direkt, men det mesta ska bevaras. Fråga "
            "registraturen eller oss om du är osäker."
        ),
        "topic": "comments-moderation",
        "language": "sv",
        "tags": ["kommentarer", "offentlighetsprincipen", "arkivering", "gallring"],
    },
    {
        "title": "Får jag använda en bild som jag har hittat på nätet i ett inlägg?",
        "answer": (
            "Nästan aldrig. Att en bild ligger öppet på nätet betyder inte att den är fri att "
            "använda. Bilder skyddas av upphovsrätten, och fotografen eller den som äger "
            "rättigheterna bestämmer var de får publiceras. Ett intrång kan bli dyrt för "
            "organisationen, även om det var ett misstag.\n\n"
            "Det här kan du använda i stället:\n\n"
            "- bilder från vår egen bildbank, där licensen omfattar sociala medier,\n"
            "- bilder du själv har tagit i tjänsten,\n"
            "- bilder med öppen licens, till exempel Creative Commons, om du följer villkoren "
            "och anger fotograf och licens.\n\n"
            "Ange alltid fotografens namn när det krävs. Samma sak gäller musik i filmer: "
            "använd bara musik som vi har licens för eller plattformens bibliotek för "
            "företagskonton."
        ),
        "topic": "images-copyright",
        "language": "sv",
        "tags": ["bilder", "upphovsrätt", "bildbank"],
    },
    {
        "title": "Behöver jag fråga personerna på en bild innan den publiceras?",
        "answer": (
            "Ja, som huvudregel. En bild där någon går att känna igen är en personuppgift "
            "enligt GDPR, och den som publicerar behöver ha stöd för det. I praktiken gör vi "
            "så här:\n\n"
            "- Fråga alltid dem som syns tydligt och berätta var bilden ska publiceras.\n"
            "- Respektera ett nej, även efter publicering. Då tar vi bort bilden.\n"
            "- För bilder på barn behövs samtycke från vårdnadshavare.\n"
            "- Var extra försiktig i känsliga sammanhang, till exempel vård, skola eller "
            "socialtjänst, där en bild kan avslöja mer än man tror.\n\n"
            "Översiktsbilder från större evenemang där ingen står i fokus kräver oftast inte "
            "samtycke, men informera gärna på plats om att det fotograferas. Det finns en "
            "samtyckesblankett på intranätet som du kan använda."
        ),
        "topic": "images-copyright",
        "language": "sv",
        "tags": ["bilder", "gdpr", "samtycke", "personuppgifter"],
    },
    {
        "title": "Hur skyddar jag organisationens konton i sociala medier?",
        "answer": (
            "Ett kapat konto kan på några minuter skada förtroendet för hela organisationen. "
            "Därför gäller samma krav för alla som har behörighet till våra officiella konton:\n\n"
            "- **Tvåstegsverifiering** ska vara påslagen, helst med en autentiseringsapp i "
            "stället för sms.\n"
            "- Använd ett långt och unikt lösenord som sparas i organisationens "
            "lösenordshanterare, aldrig i e-post eller i ett delat dokument.\n"
            "- Varje administratör har en egen inloggning, så att behörigheten kan tas bort när "
            "någon slutar. Vi delar aldrig inloggningsuppgifter.\n"
            "- Var misstänksam mot meddelanden om att sidan bryter mot reglerna och ska stängas. "
            "Det är ett vanligt sätt att lura till sig inloggningsuppgifter.\n\n"
            "Tror du att ett konto har kapats, kontakta kommunikationsavdelningen och "
            "IT-supporten direkt, även utanför kontorstid."
        ),
        "topic": "security",
        "language": "sv",
        "tags": ["säkerhet", "tvåstegsverifiering", "lösenord"],
    },
    {
        "title": "Vilka plattformar i sociala medier finns organisationen på?",
        "answer": (
            "Organisationen har officiella konton på LinkedIn, Facebook, Instagram och YouTube. "
            "Alla konton finns listade på intranätet, tillsammans med vem som ansvarar för "
            "dem.\n\n"
            "- **LinkedIn** använder vi för rekrytering och nyheter om verksamheten.\n"
            "- **Facebook** är vår kanal för service och dialog med invånare.\n"
            "- **Instagram** visar vardagen och människorna bakom arbetet.\n"
            "- **YouTube** samlar filmer, till exempel inspelade seminarier och "
            "instruktionsfilmer.\n\n"
            "Vi publicerar inte längre på X, men kontot finns kvar så att ingen annan kan ta "
            "namnet. Kanalerna utvärderas varje år och justeras efter var målgrupperna finns. "
            "Ser du ett konto som verkar vara vårt men inte står på listan, tipsa oss."
        ),
        "topic": "platforms",
        "language": "sv",
        "tags": ["plattformar", "linkedin", "facebook", "instagram"],
    },
    {
        "title": "Finns det utbildning för den som vill bli tryggare i sociala medier?",
        "answer": (
            "Ja. Kommunikationsavdelningen erbjuder flera sätt att lära sig mer:\n\n"
            "- En grundutbildning på två timmar om policyn, privat och professionell närvaro, "
            "bilder och säkerhet. Den ges varje termin och du anmäler dig via "
            "kompetensportalen.\n"
            "- En fördjupning för dig som ska publicera i organisationens kanaler, med "
            "moderering, allmänna handlingar och krisövning.\n"
            "- Skräddarsydda pass för arbetsplatsträffar, där vi utgår från era egna frågor.\n\n"
            "Har du en konkret fråga behöver du inte vänta på en kurs. Boka en tid på "
            "frågestunden, som hålls en timme varje vecka, eller skicka in frågan skriftligt. "
            "Många svar hamnar sedan här bland vanliga frågor, så att nästa person hittar dem "
            "direkt."
        ),
        "topic": "training",
        "language": "sv",
        "tags": ["utbildning", "frågestund", "kurs"],
    },
    # --- English -------------------------------------------------------------------------------
    {
        "title": "What does our social media policy actually say?",
        "answer": (
            "In short: be helpful, be accurate and be clear about who you are speaking for. The "
            "policy applies to everyone, but most of it concerns the accounts we run in the "
            "organisation's name.\n\n"
            "The key points are:\n\n"
            "- Only post on behalf of the organisation if you have been given that role.\n"
            "- Never publish confidential information or personal data about the people we "
            "serve.\n"
            "- Keep a factual, friendly tone, even when a discussion gets heated.\n"
            "- Treat comments and messages on our pages as official records, because under "
            "Swedish law they usually are.\n\n"
            "The policy and the practical guidelines that go with it are on the intranet, in "
            "Swedish and English. If something is unclear, bring your question to the weekly "
            "question hour."
        ),
        "topic": "guidelines",
        "language": "en",
        "tags": ["policy", "guidelines"],
    },
    {
        "title": "Can I say where I work on my personal LinkedIn and share our posts?",
        "answer": (
            "Yes. Many colleagues list their job on LinkedIn, and sharing posts you find "
            "relevant helps our news reach people who do not follow us. It is entirely "
            "voluntary, and nobody can require you to use a personal account for work.\n\n"
            "A few things to keep in mind:\n\n"
            "- Once you name your employer, people may read your posts as linked to your role. "
            "A line such as 'views are my own' helps, but it does not make everything "
            "private.\n"
            "- Confidentiality rules still apply on your own accounts, evenings and weekends "
            "included.\n"
            "- Share what is already public. Do not post internal news before it has been "
            "announced.\n\n"
            "If someone asks an official question in the comments, point them to our page or "
            "send us a link and we will reply."
        ),
        "topic": "private-professional",
        "language": "en",
        "tags": ["linkedin", "private", "sharing"],
    },
    {
        "title": "A journalist messaged me about my work. Must I go through the press office?",
        "answer": (
            "No, you do not have to. Employees in the Swedish public sector have **freedom to "
            "communicate information** (meddelarfrihet): you may give information to the media "
            "for publication, except for certain information covered by strict "
            "confidentiality. Your employer may not try to find out who spoke to a journalist, "
            "or act against anyone who did.\n\n"
            "If the journalist wants a statement on behalf of the organisation, the press "
            "office can help:\n\n"
            "- Ask which outlet they write for, what the story is about and when the deadline "
            "is.\n"
            "- It is fine to say you will get back to them rather than answer in the chat "
            "straight away.\n"
            "- Contact the press office. We can help you prepare, or find the right "
            "spokesperson.\n\n"
            "Journalists usually work to tight deadlines, so let us know early."
        ),
        "topic": "guidelines",
        "language": "en",
        "tags": ["journalists", "media", "press"],
    },
    {
        "title": "How do we handle social media during a crisis?",
        "answer": (
            "Social media is part of crisis communication from the very first hour, led by the "
            "crisis management team together with the communications department. In a crisis, "
            "people often turn to our channels before they visit our website or call us.\n\n"
            "Our routine is to:\n\n"
            "- pause all scheduled posts,\n"
            "- publish confirmed information only, with the same message in every channel and "
            "a link to the website,\n"
            "- monitor what is being said, including rumours that need a response,\n"
            "- staff the comment fields for longer hours, weekends included if needed.\n\n"
            "If you are not part of the crisis team, the most helpful thing you can do is share "
            "our official updates rather than your own summary, and send us links to "
            "misleading posts. Please do not speculate in public about causes or blame."
        ),
        "topic": "crisis",
        "language": "en",
        "tags": ["crisis", "monitoring", "rumours"],
    },
    {
        "title": "Can I just delete a nasty comment on our Facebook page?",
        "answer": (
            "Not just like that. Comments on a public-sector organisation's page are usually "
            "official documents (allmänna handlingar) under the principle of public access, so "
            "they are handled according to the rules for records.\n\n"
            "Before a comment is hidden or removed:\n\n"
            "- check it against the comment rules published on the page; criticism alone is "
            "never a reason to remove anything,\n"
            "- save a copy showing who wrote what and when, with our archiving tool or a "
            "screenshot,\n"
            "- note which rule it broke.\n\n"
            "Threats, hate speech and personal data about others are removed quickly, and the "
            "law requires us to remove some clearly illegal content. Whether a saved comment "
            "may later be disposed of is decided by our records management plan. If you "
            "moderate one of our pages, ask us for the moderation checklist."
        ),
        "topic": "comments-moderation",
        "language": "en",
        "tags": ["comments", "facebook", "moderation", "records"],
    },
    {
        "title": "A colleague asked me for the password to our Instagram account. Is that OK?",
        "answer": (
            "No. Passwords to the organisation's accounts are never sent by email, chat or text "
            "message, not even to colleagues. Everyone who works with an account should have "
            "their own login with the right permissions, so that access can be removed when "
            "someone changes jobs.\n\n"
            "The basic rules are:\n\n"
            "- **Two-factor authentication** is switched on for every account and every "
            "administrator.\n"
            "- Where a shared login cannot be avoided, the password is kept in the "
            "organisation's password manager.\n"
            "- Be wary of messages claiming the page will be closed unless you log in. That is "
            "a common phishing trick.\n\n"
            "If you think an account has been hacked, or you clicked a suspicious link, contact "
            "the communications department and IT support straight away, day or night."
        ),
        "topic": "security",
        "language": "en",
        "tags": ["security", "passwords", "instagram"],
    },
    {
        "title": "My unit wants its own Instagram account. How do we get started?",
        "answer": (
            "Talk to us before you create anything. A new account is a commitment for several "
            "years, and an account that goes quiet after a few months does more harm than "
            "good.\n\n"
            "We will go through a few questions with you:\n\n"
            "- Who do you want to reach, and are they really on that platform?\n"
            "- What do you want them to know or do, and could our existing channels do the "
            "job?\n"
            "- Who will post, answer comments and cover holidays?\n"
            "- How will you handle records, images and moderation?\n\n"
            "Often the best answer is to contribute regularly to one of our existing accounts. "
            "If a new account makes sense, we help you set it up securely, add it to the list "
            "of official accounts and follow up after six months."
        ),
        "topic": "strategy",
        "language": "en",
        "tags": ["strategy", "instagram", "accounts"],
    },
]
