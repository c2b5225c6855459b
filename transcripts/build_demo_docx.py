"""Build the demo Word transcript ``fg1-ledere.docx`` from the text kept in this script.

The focus group, the people and every line they say are fictional, written for the demo.
Run from anywhere with the project's virtualenv::

    .venv/bin/python transcripts/build_demo_docx.py

The text below uses a small mark-up: ``# `` starts a Heading 1 paragraph, ``## `` a Heading 2
paragraph, ``Name: text`` a speaker turn (the ``Name:`` prefix is written in bold, as people
type it in Word), and any other line an ordinary paragraph (the unattributed notes before the
first speaker). The output is byte-for-byte reproducible: fixed document properties and fixed
time stamps inside the ZIP, so rebuilding does not produce a spurious change.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "fg1-ledere.docx"
FIXED_TIME = dt.datetime(2024, 3, 14, 16, 0, 0)
SPEAKER = re.compile(r"^([A-ZÆØÅ][\w .\-]{0,24}?): (.+)$")

TEXT = """\
# Fokusgruppe 1 – ledere
Fiktivt eksempelmateriale laget for å vise programmet. Personene, navnene og sitatene finnes ikke.
Fokusgruppeintervju med ledere ved en døgnpost i psykisk helsevern, gjennomført en torsdag ettermiddag i mars i et møterom på klinikken. Varighet omtrent 1 time og 20 minutter. Lydopptaket er transkribert ordrett av moderator. Informantene snakket ulike dialekter; alt er skrevet på bokmål.
Moderator: Ja, da er opptaket i gang. (pause) Velkommen alle sammen, og tusen takk for at dere tar dere tid midt i en travel arbeidsdag. Som dere vet handler prosjektet om den nye arbeidsmåten som ble innført på posten for litt over et år siden, den recoveryorienterte praksisen. Vi er interessert i deres erfaringer som ledere: hvorfor den ble innført, hvordan det har gått, og hva den betyr for brukerne. Det finnes ingen riktige eller gale svar, og dere må gjerne være uenige med hverandre. Alt dere sier blir anonymisert, og dere kan trekke dere når som helst uten å oppgi grunn. Med meg har jeg en ko-moderator, som tar notater og passer på tiden.
Ko-moderator: Ja, og hvis det er noe jeg lurer på underveis, kan det hende jeg stiller et oppfølgingsspørsmål. Ellers holder jeg meg i bakgrunnen. (latter)
Moderator: Kan vi begynne med en runde der dere sier fornavnet deres, hvilken bakgrunn dere har og hvor lenge dere har vært ledere?
Kari: Ja, jeg kan begynne, jeg. Jeg heter Kari, er sykepleier med videreutdanning i psykisk helsearbeid, og har vært avdelingsleder i fem år. Før det jobbet jeg mange år som miljøterapeut på akutten, så jeg har, eh, sett ganske mye fra gulvet også.
Torstein: Torstein. Vernepleier. Jeg har vært teamleder på dagtid i, ja, snart tre år nå. Før det var jeg i kommunen, i en bofellesskapstjeneste, så jeg kom egentlig inn i spesialisthelsetjenesten litt fra siden.
Ingrid: Jeg heter Ingrid, og jeg er sykepleier. Jeg er fagutviklingssykepleier på posten, så jeg har ikke personalansvar på samme måte som de andre, men jeg har hatt ansvaret for opplæringen i den nye arbeidsmåten. Jeg har vært i den rollen i to år.
Håkon: Håkon heter jeg. Sosionom, med videreutdanning i ledelse. Seksjonsleder, og har vel hatt det ansvaret i sju–åtte år, så jeg har litt mer det overordnede blikket, kanskje. Budsjett og (latter) sånne kjedelige ting.
Solveig: Ja, Solveig. Jeg er sykepleier med videreutdanning i psykisk helsearbeid, jeg også, og jeg har jobbet på huset i over tjue år. Nå er jeg assisterende avdelingsleder. Jeg har vært med på (..) ja, jeg har vært med på mange nye arbeidsmåter. (latter)
Bjørnar: Bjørnar. Vernepleier, med videreutdanning i miljøterapi. Jeg er den ferskeste lederen her, tror jeg. Jeg ble teamleder for halvannet år siden, så jeg kom inn omtrent samtidig som arbeidsmåten ble innført.
Marit: Marit heter jeg, sykepleier. Jeg er teamleder med ansvar for turnus og bemanning, og har vært leder i fire år. Så jeg er den som får telefonene når noen er syke. (latter)
Øystein: Og jeg heter Øystein, er sosionom, og er koordinator for utskrivning og samarbeid med kommunene. Leder i (pause) ja, to år i den rollen.
Moderator: Takk. Da begynner vi med det første fokusområdet.
## Fokusområde a: Bakgrunnen for å innføre arbeidsmåten
Moderator: Hva var bakgrunnen for at dere innførte den nye arbeidsmåten?
Kari: Eh, det er jo flere ting. Det kom en tydelig forventning ovenfra, fra klinikkledelsen, om at alle døgnenheter skulle jobbe mer recoveryorientert. Men jeg vil si at det også kom noe fra oss selv. Vi hadde en periode med mange klager fra brukere og pårørende, på at de ikke ble hørt, at husreglene var for strenge, og at det var for lite å gjøre på posten. Og så hadde vi to, tre brukere som kom tilbake igjen og igjen. Svingdørspasienter, som det heter. Ikke et fint ord, men (..) det gjorde noe med oss.
Torstein: Ja, men jeg må jo si, og det har jeg sagt før, at mye av det der ikke er nytt. Vi har snakket om brukermedvirkning så lenge jeg har jobbet i feltet. I kommunen het det bare noe annet. Så for meg var det litt sånn (pause) nye ord på gammel praksis.
Ingrid: Jeg er ikke helt enig i det, Torstein. Altså, ordene har vært der, det er sant, men //praksisen//
Torstein: //ja, ja//
Ingrid: praksisen har ikke vært der. Det er forskjell på å si at brukeren skal medvirke og å faktisk la brukeren være med og bestemme hva som skal skje i et samarbeidsmøte. Det var det som var poenget med å innføre det på en mer systematisk måte.
Moderator: Kan du si litt mer om hvorfor det måtte bli systematisk?
Ingrid: Ja. Eh, vi så at det var veldig personavhengig. Hadde brukeren en primærkontakt som var opptatt av håp og av brukerens egne mål, så fikk brukeren det. Hadde brukeren en annen primærkontakt, ble det mer (..) ja, mer tradisjonelt. Medisiner, skjerming, struktur. Og det er jo ikke rettferdig overfor brukerne at det skal komme an på hvem som er på jobb.
Håkon: Og så må jeg legge til at det var en økonomisk side også. (kremt) Det skal man ikke underslå. Når de samme brukerne blir reinnlagt fire, fem ganger i året, så koster det. Det var en forventning om at vi skulle få ned liggetiden og antall reinnleggelser. Så bakgrunnen var både faglig og (..) ja, økonomisk. Det er ikke noe galt i det, men vi skal være ærlige om det.
Solveig: Nei, og det er jo akkurat det som gjør meg litt skeptisk. For når noe kommer ovenfra med en økonomisk begrunnelse og pakkes inn i fine ord om håp og medvirkning, så (pause) ja, da lurer folk på gulvet på hva det egentlig handler om.
Kari: Men Solveig, //det var jo ikke bare//
Solveig: //nei, jeg vet det//, jeg sier ikke at det var bare det. Jeg sier at det er sånn det ble oppfattet av mange.
Bjørnar: Jeg opplevde det ikke sånn, men jeg kom jo inn akkurat da. For meg var det en av grunnene til at jeg søkte jobben. Det sto i utlysningen at posten var i gang med å utvikle en recoveryorientert praksis, og det syntes jeg var spennende.
Marit: Ja::, og jeg tror bakgrunnen var litt forskjellig avhengig av hvem du spør. For meg, som sitter med turnus, kom det mest som et nytt krav. Nye kurs, nye møter, nye skjema. Det var ikke så mye snakk om hvorfor i starten, mer om hva vi skulle gjøre.
Øystein: Jeg kan kanskje si noe om samarbeidet utover. Kommunene hadde også etterlyst at vi skulle ha mer oppmerksomhet på livet etter utskrivning. Bolig, arbeid, nettverk. At det ikke bare handler om å bli symptomfri på posten, men om å ha et liv å komme hjem til. Det var en del av bakgrunnen, i hvert fall slik jeg har forstått det.
Moderator: Så dere beskriver både en forventning ovenfra, noen erfaringer på posten og et ønske fra kommunene. Er det noe annet som var viktig?
Kari: Erfaringskonsulenten. Vi fikk ansatt en erfaringskonsulent omtrent samtidig, og (..) ja, det snudde ganske mye. Hun stilte spørsmål som vi ikke stilte. Hvorfor får ikke brukerne ha telefonen om kvelden? Hvem har bestemt det? Og da vi skulle svare, var det ingen som helt visste. (latter)
Torstein: Nei, det var en regel fra en gang, liksom. (latter)
Ingrid: Det sier jo ganske mye, egentlig.
Solveig: Jeg husker når den regelen kom, jeg. (pause) Det var etter en hendelse for mange år siden, der en bruker ble truet på telefon av en tidligere kjæreste. Så den hadde en grunn. Men grunnen forsvant, og regelen ble stående.
Kari: Ja, og sånn er det med mange av reglene våre. De er laget for den ene vanskelige situasjonen, og så gjelder de for alle brukerne i ti år etterpå.
Moderator: Var det noen som var uenige i at arbeidsmåten skulle innføres?
Marit: Uenige og uenige. (latter) Det var mange som var slitne. Vi hadde nettopp vært gjennom en omorganisering, og så kom det en ny satsing. Da blir folk ikke uenige i innholdet, de blir bare (..) ja, de orker ikke.
Håkon: Det tar jeg på min kappe. Tidspunktet var ikke godt valgt. Men vi fikk ikke velge det selv heller.
## Fokusområde b: Er det mulig å innføre arbeidsmåten?
Moderator: Hvis vi går videre. Mener dere at det er mulig å innføre en slik arbeidsmåte på en døgnpost som deres?
Håkon: Ja, det mener jeg. Men ikke uten at ledelsen står bak over tid. Det som skjer med mange sånne satsinger, er at de får et år med oppmerksomhet, og så kommer det noe nytt. Og da går folk tilbake til det de kan. Så det er mulig, men det krever at vi som ledere er utholdende. Og det krever ressurser. Tid til refleksjon, tid til veiledning, og det koster.
Marit: Og der kommer jeg inn. (latter) For det er fint å si tid til refleksjon, men når jeg har to sykmeldte på en kveldsvakt og en bruker som må ha fast vakt, så er det ingen som sitter og reflekterer. Da handler det om å få vakten til å gå rundt.
Kari: Det er helt sant, Marit. Men jeg tror ikke det er enten–eller. Noe av poenget er at arbeidsmåten ikke skal være noe i tillegg, men en måte å gjøre det vi allerede gjør på.
Marit: Ja, det er det som blir sagt. Men (pause) altså, det er ikke sånn det oppleves. Det oppleves som noe i tillegg. Et nytt skjema for brukerens egne mål, et nytt punkt på morgenmøtet, en ny (..) ja, en ny ting som skal dokumenteres.
Solveig: Og der tror jeg vi har gjort en feil. Vi har lagt arbeidsmåten oppå alt det andre i stedet for å ta noe bort. Det er ingen som har sagt: Dette trenger vi ikke å gjøre lenger.
Bjørnar: Eh, jeg er litt uenig. Vi tok faktisk bort noen ting. Vi tok bort den faste kontrollrunden hvert kvarter for dem som ikke hadde behov for det, og vi tok bort en del av husreglene. Det var jo nettopp for å frigjøre tid.
Solveig: Ja, det er riktig. Men det ble veldig lite sammenlignet med det som kom til.
Moderator: Hva skal til for at det blir mulig, slik dere ser det?
Ingrid: For meg handler det om at personalet må forstå hvorfor. Da vi hadde de første kursdagene, var det mye teori. Folk satt der og nikket, men det var ikke før vi begynte å ta opp konkrete situasjoner fra posten at det løsnet. Når noen sa: «Men hva gjør vi med han som vil gå ut klokka elleve om kvelden?» Da ble det ekte.
Torstein: Og det krever at noen tør å stå i det. At vi som ledere sier at det er greit å prøve noe, og at det er greit å feile. For hvis det går galt, og en bruker har fått gå ut og det skjer noe, så er det jo (..) ja, så er det noen som må svare for det.
Håkon: Det er det vanskelige. Ansvaret. Vi har et lovverk og et krav om forsvarlighet som ikke har blitt borte selv om vi jobber recoveryorientert.
Øystein: Jeg tenker at det også må være mulig utenfor posten. Det hjelper ikke om vi gjør alt riktig her inne hvis brukeren kommer hjem til en kommune som ikke har noe tilbud. Så det er mulig, men ikke alene.
Kari Ø.: Nei, og (..) jeg vil bare si at jeg tror det er mulig, fordi vi har sett det. Vi har hatt brukere som har sagt at dette var første gang de opplevde at noen spurte hva de selv ville. Det er ikke lite.
Moderator: Hvordan har dere som ledere jobbet med å forankre det i personalgruppen?
Bjørnar: Vi har hatt refleksjonsgrupper annenhver uke. I starten kom det mange, nå er det (pause) ja, det er litt færre. Jeg merker at det er vanskelig å holde på.
Marit: Det er fordi de legges midt i overlappingen, og da er det kaos. (latter)
Bjørnar: Ja, ja, det er et poeng. Vi har snakket om å flytte dem.
Solveig: Og så har vi jo noen ildsjeler. Ingrid er en av dem. (latter) Men det blir sårbart når det hviler på noen få. Hvis Ingrid slutter i morgen, hva skjer da?
Ingrid: Jeg har ingen planer om å slutte. (latter)
Solveig: Nei, men du skjønner hva jeg mener.
Ingrid: Jo, jeg skjønner det. Og jeg er enig, egentlig. Det er ikke bra at det er jeg som «eier» arbeidsmåten. Det burde være noe alle eier.
Håkon: Vi har prøvd å lage et nettverk av ressurspersoner, én på hvert team. Men det har vært vanskelig å få dem fritatt fra vakt når de skal møtes. Så det er det samme problemet igjen. (pause) Tid.
Torstein: Jeg tror også det har betydning at erfaringskonsulenten er med. Det gjør det vanskeligere å gå tilbake til gamle vaner. Når hun sitter i møtet, snakker vi annerledes.
Marit: Men hun er i femti prosent stilling, da. Halvparten av tiden er det ingen der.
## Fokusområde c: Hvordan har arbeidsmåten endret måten dere jobber på?
Moderator: Om vi ser på hverdagen: Hvordan har den nye arbeidsmåten endret måten dere jobber på?
Torstein: Den mest konkrete endringen er samarbeidsmøtene. Før satt behandlerne og miljøpersonalet og bestemte, og så fikk brukeren beskjed etterpå. Nå er brukeren med i møtet, og vi starter med det brukeren selv er opptatt av. Det høres lite ut, men det endrer hele tonen.
Kari: Ja. Og vi snakker annerledes om brukerne. Det var noe vi jobbet bevisst med. Vi sier ikke lenger at noen er «dårlig i dag» uten å si noe mer. Vi prøver å beskrive hva som skjer og hva personen selv sier om det.
Solveig: Det er sant, språket har endret seg. Men jeg er ikke sikker på at det alltid betyr at praksisen har endret seg. (pause) Det går an å si de riktige ordene og gjøre det samme som før.
Ingrid: Ja, men språket er et sted å begynne, da.
Solveig: Ja, ja. Jeg sier ikke noe annet.
Håkon: For meg som leder har det endret hvordan jeg prioriterer. Jeg bruker mer tid på å snakke med teamlederne om hvordan det går med brukermedvirkningen, og jeg har fått inn brukermedvirkning som et fast punkt i ledermøtet. Om det har endret så mye for brukerne, er et annet spørsmål. (latter)
Marit: Det har endret turnusen, i hvert fall. Vi har lagt inn mer tid på dagvakt til samtaler og aktiviteter ute, og det har gått litt utover kveldene. Det er ikke alle som er fornøyde med det.
Moderator: Kan du si mer om det?
Marit: Ja, altså, ehm (..) noen av de eldre ansatte har jobbet faste kvelder i mange år, og så skal de plutselig inn i en rotasjon for å ha ansvaret for brukerens mestringsplan. Det har skapt en del frustrasjon. Og jeg forstår det. Det er deres liv også.
Bjørnar: Det har også endret hva vi dokumenterer. Vi skriver mer om hva brukeren ønsker og mindre om (..) ja, om atferd. Det var vanskelig for noen i starten, for det føltes ikke som ordentlig dokumentasjon.
Øystein: Og vi tar kontakt med kommunen mye tidligere. Før tok vi det gjerne uka før utskrivning. Nå prøver vi å ha med kommunen allerede i første samarbeidsmøte, og aller helst med brukeren til stede. Det er en stor forskjell.
Kari: Ja, det er kanskje det jeg er mest stolt av, egentlig. At brukeren er med når det planlegges hva som skal skje etterpå.
Ko-moderator: Jeg har et oppfølgingsspørsmål. Er det noe dere gjorde før som dere ikke gjør lenger?
Torstein: Ja::, jeg tenker på skjermingen. Vi bruker skjerming mye mindre rutinemessig enn før. Det var en periode der nesten alle nyinnlagte ble skjermet det første døgnet. Det gjør vi ikke nå.
Håkon: Og tallene viser det. Vi har hatt en klar nedgang i tvangsvedtak det siste året. Om det bare skyldes arbeidsmåten, vet jeg ikke, men (..) det er en tendens.
Solveig: Det tror jeg også har med sammensetningen av brukere å gjøre. Vi har hatt færre akutte innleggelser, så (uhørbart)
Moderator: Unnskyld, jeg fikk ikke med meg det siste?
Solveig: Jeg sa at vi ikke skal ta hele æren for det. Det har vært færre akutte innleggelser i samme periode. (latter)
Kari: Nei, det er rett. Men jeg merker en forskjell i stemningen på posten, også. Det er roligere. Færre konflikter i fellesarealet. Det er vanskelig å måle, men de som har jobbet her lenge, sier det samme.
Bjørnar: Vi har også begynt med husmøter en gang i uka, der brukerne kan ta opp hva de vil. Det har vært (..) ja, litt blandet. Noen ganger kommer det to stykker, og noen ganger blir det et ganske heftig møte om mat. (latter)
Torstein: Mat er alltid viktig. (latter) Men det er jo medvirkning, det også. Det er der det starter, i det hverdagslige.
Ingrid: Og vi har fått inn at brukeren skriver i sin egen plan. Med egne ord. Det er ikke alle som vil, men de som vil, gjør det, og det er noe helt annet å lese enn det vi skriver.
## Fokusområde d: Hvordan forstår personalet innholdet?
Moderator: Hvordan opplever dere at personalet forstår innholdet i den nye arbeidsmåten?
Ingrid: Det er veldig varierende. Noen har forstått det som et helt nytt menneskesyn, og de er kjempeengasjerte. Andre tenker at det handler om å være snill og si ja til alt brukerne vil. Og det er jo en misforståelse.
Torstein: Det er den vanligste misforståelsen. At recovery betyr at vi ikke skal sette grenser. Men det handler om å sette grenser sammen med brukeren, ikke for brukeren. Det er en stor forskjell.
Bjørnar: Jeg hører ofte at folk sier «bruker bestemmer». Og det er jo (pause) ja, det er både riktig og feil. Brukeren bestemmer over sitt eget liv, men vi har fortsatt et ansvar. Det er vanskelig å forklare i en overlapping på fem minutter. (latter)
Kari: Og så er det noen som forstår det som noe brukerne skal gjøre. At brukeren skal ta ansvar, skal ha mål, skal jobbe med recovery. Som om det er en oppgave for brukeren og ikke en måte for oss å jobbe på.
Solveig: Det er interessant at du sier det, for jeg tror ikke vi ledere er helt enige om hva det betyr heller. (pause) Hvis vi åtte skulle skrive ned en definisjon nå, tror jeg vi hadde fått åtte forskjellige.
Håkon: Det er sikkert sant. (latter)
Marit: Det er ikke sikkert det er så farlig, da? At det er litt forskjellige forståelser.
Solveig: Nei, kanskje ikke. Men da kan vi ikke forvente at personalet skal ha én forståelse heller.
Ingrid: Jeg prøver alltid å si at det handler om håp, om relasjon og om medvirkning. Det er de tre ordene jeg bruker. Håp om at livet kan bli bedre, en relasjon der brukeren blir sett som en person og ikke som en diagnose, og medvirkning i alt som angår brukeren.
Øystein: Jeg ville lagt til mening. At brukeren skal ha noe å stå opp til om morgenen. Det er det jeg hører fra brukerne når de skal ut igjen. De er ikke så opptatt av diagnosen, de er opptatt av om de får jobbe, om de har noen å være sammen med.
Moderator: Hvordan merker dere om noen har forstått det, eller ikke?
Torstein: Du merker det i de små tingene. Hvordan noen banker på døra før de går inn på rommet. Om de spør brukeren eller bare gir beskjed. Om de snakker om brukeren i gangen så andre hører det.
Marit: Ja, og hvordan de snakker på vaktrommet. Det er der du hører det. (latter)
Kari: Ja::, vaktrommet. (latter) Det er der kulturen sitter.
Bjørnar: Men det er også urettferdig overfor dem som ikke har fått opplæring. Vi har mange vikarer og ekstravakter som aldri har vært på kurs. De gjør så godt de kan, men de har ikke fått ordene.
Håkon: Og det er et ressursspørsmål igjen. Vi har ikke råd til å sende alle vikarer på to dagers kurs.
Ingrid: Nei, men vi kunne hatt en kort introduksjon. En time. Det har jeg foreslått flere ganger. (kremt)
Håkon: Ja, det har du. Og det er et godt forslag. Vi (..) vi har bare ikke fått det til.
Moderator: Tror dere det er forskjell på hvordan de ulike faggruppene forstår det?
Torstein: Ja, det tror jeg. Vernepleierne har ofte et litt annet utgangspunkt, vi er vant til å tenke på funksjon og mestring i hverdagen. Sykepleierne er kanskje mer vant til å tenke på symptomer og behandling. Uten at jeg skal sette folk i bås. (latter)
Solveig: Jo, du setter folk i bås nå. (latter) Men du har litt rett. Og legene, de har en helt egen forståelse.
Kari Ø.: Jeg vil ikke si at det er så mye faggruppe, jeg. Jeg tror det handler mer om hvor lenge du har jobbet, og hvor du har jobbet før. De som kommer rett fra skolen, har lært dette. De som har jobbet i tjue år, har lært noe annet først.
Solveig: Takk for den. (latter)
Kari Ø.: Nei, jeg mente ikke deg. //Jeg mente//
Solveig: //Jeg vet det//. Jeg tuller. Men det er noe i det.
## Fokusområde e: Hvordan fungerer arbeidsmåten i praksis med brukerne?
Moderator: Hvordan fungerer arbeidsmåten i praksis med brukerne, slik dere ser det?
Kari: Jeg tenker på en bruker vi hadde i fjor, uten å si noe som kan kjennes igjen, som hadde vært innlagt mange ganger. Første samtale denne gangen startet med at primærkontakten spurte: «Hva er viktig for deg nå?» Og svaret var at han ville få hunden sin tilbake. (pause) Det hadde ingen spurt om før. Og det ble utgangspunktet for hele oppholdet.
Ingrid: Det er sånne historier som gjør at jeg tror på det.
Torstein: Men det finnes også de andre historiene. Der brukeren er så syk at det ikke gir mening å spørre om mål. Der vi må ta over en periode. Og der jeg noen ganger opplever at arbeidsmåten blir en ekstra belastning for personalet, fordi de føler at de svikter den når de må bruke tvang.
Solveig: Ja, det er et godt poeng. Det er ikke alle brukere den passer like godt for. I hvert fall ikke hele tiden.
Ingrid: Det er jeg faktisk uenig i. (kremt) Jeg tror den passer for alle, men den må se forskjellig ut. Også en bruker som er veldig psykotisk, kan bli møtt med respekt og få være med og bestemme i det små. Hvilken kopp, hvem som skal sitte sammen med en. Det er også medvirkning.
Torstein: Ja, i det små. Men det er ikke det som står i brosjyren. (latter)
Bjørnar: Jeg opplever at brukerne merker det mest i relasjonen. Når vi har tid til å sitte ned, gå en tur, bare være der. Det er det de nevner på evalueringsskjemaene. Ikke skjemaene, ikke møtene, men at noen hadde tid.
Marit: Og tid er det vi har minst av. (pause) Jeg sier ikke det for å være negativ, men det er realiteten.
Øystein: Ehm, jeg har snakket med flere brukere etter utskrivning, og det de trekker fram, er trygghet. At de visste hva som skulle skje. At de hadde vært med på å lage planen og kjente seg igjen i den. Mange av dem var redde for å komme hjem, og da hjalp det å ha vært med på planleggingen.
Håkon: Vi har også hatt brukere som har klaget på det motsatte, da. At de opplevde at det ble for mye snakk om mål og planer og (..) at de bare ville hvile. Det skal vi også ta på alvor.
Kari: Ja, det er et viktig poeng. Det blir et nytt press hvis alle skal ha et mål hele tiden.
Moderator: Hvordan er det med pårørende i dette?
Øystein: Det er litt blandet. Noen pårørende er veldig glade for å bli tatt med, andre blir utrygge når vi snakker om at brukeren skal bestemme mer. De er redde for at vi gir slipp for tidlig.
Solveig: Og noen brukere vil ikke at pårørende skal være med. Da må vi respektere det, selv om pårørende ringer oss hver dag. Det er ikke enkelt.
Marit: Nei, og det er ofte kveldsvakta som tar de samtalene. (pause) De som ikke har vært på kurs.
Moderator: Er det noe brukerne selv har sagt om arbeidsmåten, som dere har fått med dere?
Ingrid: Vi hadde en brukerundersøkelse i høst. Det var flere som skrev at de følte seg mer som et menneske og mindre som en pasient. Én skrev at det var første gang noen hadde snakket med henne om framtida og ikke bare om det som hadde gått galt.
Bjørnar: Og så var det en som skrev at det var altfor mange møter. (latter)
Ingrid: Ja, det var det også. (latter)
Torstein: Det er ærlig, i hvert fall. Brukerne er ikke en gruppe med én mening. Noen brukere vil ha mye struktur, andre vil ha frihet. Det er jo litt av poenget, at det skal tilpasses den enkelte brukeren.
## Nøkkelspørsmål: Hva betyr forbedring, og hvem bestemmer det?
Moderator: Da har jeg to spørsmål som vi stiller i alle gruppene. Det første er: Hva betyr «forbedring» for dere, når vi snakker om brukerne?
Ingrid: (pause) Det er et stort spørsmål. (latter) For meg betyr forbedring at brukeren selv opplever at livet har blitt bedre. Ikke nødvendigvis at symptomene er borte, men at det er mer av det som gir mening.
Håkon: Jeg må være litt ærlig og si at i systemet måles forbedring helt annerledes. Vi rapporterer på liggetid, reinnleggelser, tvangsbruk. Det er de tallene som går oppover i systemet. Og det er ikke det samme som det Ingrid sier.
Ingrid: Nei, og det er jo et problem.
Håkon: Det er et problem, men det er også virkeligheten vi lever i.
Torstein: Jeg tenker at forbedring er at brukeren klarer mer selv enn før. Mestring. At man får en hverdag til å gå rundt. For noen er det å klare å handle mat, for andre er det å komme tilbake i jobb.
Solveig: Og for noen er det å ikke bli verre. (pause) Det glemmer vi litt. At det å holde seg stabil også kan være en forbedring.
Bjørnar: Det som er vanskelig, er at brukeren og vi kan mene veldig forskjellige ting. En bruker kan mene at det er en forbedring å slutte med medisinene, mens behandleren mener det motsatte. Hvem har rett da?
Moderator: Ja, det leder over til det andre spørsmålet. Hvem bestemmer hva som er forbedring?
Kari: (pause) Ærlig talt? (latter) I praksis er det ofte behandleren. Overlegen har det juridiske ansvaret, og når det kommer til stykket, er det den vurderingen som gjelder. Men det vi prøver å få til, er at brukerens stemme veier tyngre enn før.
Øystein: Jeg vil si at brukeren bestemmer når han eller hun kommer hjem. (latter) Da er det ingen av oss som bestemmer lenger.
Torstein: Det er faktisk et godt poeng. (latter)
Marit: Jeg tenker at det burde være brukeren, men at det er mange som bestemmer litt. Pårørende, kommunen, Nav, oss. Brukeren blir en av mange stemmer.
Håkon: Og økonomien. Den bestemmer også, selv om ingen liker å si det.
Solveig: Ja, der kom det. (latter) Nei, men Håkon har rett. Hvis det ikke er plass, blir brukeren skrevet ut, uansett hva brukeren selv mener om bedringen sin.
Ingrid: Jeg tror vi må tåle at det ikke finnes ett svar. Men hvis vi ikke engang spør brukeren, så har vi i hvert fall bestemt for mye selv.
Bjørnar: Og vi må kanskje skille mellom forbedring for brukeren og forbedring av posten. Det blandes sammen hele tiden. Når ledelsen sier at arbeidsmåten har ført til forbedring, mener de posten. Når brukeren sier det, mener de livet sitt.
Moderator: Det var en interessant presisering. Er de andre enige i det skillet?
Håkon: Ja, det er et nyttig skille. Og jeg er vel en av dem som sier forbedring og mener posten. (latter) Det tar jeg med meg.
Marit: Jeg tenker at personalet også har et syn på forbedring, som ikke alltid er det samme som brukerens eller ledelsens. For personalet er det kanskje forbedring når det er mindre uro og færre vold- og trusselsituasjoner. Det er heller ikke uviktig.
Kari: Nei, trygghet for personalet og trygghet for brukerne henger sammen. Hvis personalet ikke er trygge, blir det ikke trygt for brukerne heller.
Moderator: Da nærmer vi oss slutten. Er det noe dere vil legge til, noe vi ikke har spurt om?
Bjørnar: Bare at jeg synes det har vært nyttig å snakke om dette sammen. Vi gjør det for sjelden som ledergruppe.
Solveig: Ja, enig. Selv om jeg har vært litt (..) litt kritisk i dag. (latter)
Kari Ø.: Det trengs, Solveig. //Det trengs//
Solveig: //Ja, ja// (latter)
Øystein: Jeg vil bare si at det hadde vært fint om dere spurte brukerne også. Ikke bare oss. Det er jo de som vet om det virker.
Moderator: Det er et godt innspill, og det tar vi med oss.
Ko-moderator: Jeg har notert at flere av dere har snakket om tid og ressurser, om språket som har endret seg, og om at det er uklart hvem som bestemmer hva forbedring er. Kjenner dere dere igjen i det som en kort oppsummering?
Håkon: Ja, det synes jeg er dekkende.
Marit: Og at det er mye som hviler på noen få. Det vil jeg ha med.
Torstein: Og at det ikke er så nytt som noen vil ha det til. (latter) Men at det er bra, da.
Moderator: Tusen takk alle sammen. Da avslutter vi opptaket.
"""


def _set_language(document: Document, lang: str = "nb-NO") -> None:
    """Mark the Normal style as Norwegian bokmål so Word spell-checks the text."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), lang)
    lang_el.set(qn("w:eastAsia"), lang)


def build_document(text: str = TEXT) -> Document:
    document = Document()
    _set_language(document)
    props = document.core_properties
    props.title = "Fokusgruppe 1 – ledere (fiktivt eksempel)"
    props.author = "workbench demo"
    props.last_modified_by = "workbench demo"
    props.comments = "Fiktivt eksempelmateriale. Ingen av personene finnes."
    props.language = "nb-NO"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("## "):
            document.add_heading(line[3:], level=2)
        elif line.startswith("# "):
            document.add_heading(line[2:], level=1)
        elif match := SPEAKER.match(line):
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{match[1]}:").bold = True
            paragraph.add_run(f" {match[2]}")
        else:
            document.add_paragraph(line)
    return document


def reproducible_bytes(document: Document) -> bytes:
    """The .docx as bytes with every ZIP entry stamped with the same fixed time."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else OUTPUT
    target.write_bytes(reproducible_bytes(build_document()))
    turns = [m for line in TEXT.splitlines() if (m := SPEAKER.match(line))]
    words = sum(len(m[2].split()) for m in turns)
    print(f"wrote {target} ({words} words in speaker turns)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
