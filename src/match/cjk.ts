// CJK phrases: found as substrings, since Chinese and Japanese put no spaces between words and the
// paste's word splitter (words.ts) sees a whole run of CJK characters as one word. Korean (Hangul) is
// treated alike: it spaces its words, but each carries its particles and endings ("사서함이", "사서함에"),
// so a phrase is found as a substring too, with the spaces between words skipped as for Japanese.
//
// An Aho–Corasick automaton over the phrases' code units (transitions in one hash map keyed
// state·2^16 + code unit, failure links computed once) walks the words of a paste that holds CJK
// text: every phrase in one pass, linear in the characters walked, whatever the number of phrases.
// Only the first MAX_CHARS characters are walked (bounded on a hostile paste); a paste without CJK
// text costs one look at each word's first and last character.
import type { Found } from './evidence.ts';
import type { WordBuf } from './lexicon.ts';
import { splitWords } from './words.ts';

/** Characters walked per paste, at most. */
const MAX_CHARS = 64 * 1024;

/**
 * Han, kana, the CJK symbols block, full-width forms and Hangul (syllables, compatibility jamo): the
 * scripts a CJK phrase is written in. Every one is past WIDE_FROM (lexicon.ts), so WordBuf.wide still
 * tells whether a paste may hold any.
 */
export function isCjkCode(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9d) ||
    (c >= 0xac00 && c <= 0xd7af) || (c >= 0x3130 && c <= 0x318f);
}

/**
 * Traditional Chinese characters and their Simplified forms, in pairs (traditional, simplified): the
 * characters of mail, delivery and error wording and of the words around them ("郵件" 邮件, "無法" 无法,
 * "連線逾時" 连线逾时, "驗證" 验证). Folding both a phrase and the paste to Simplified lets the Simplified
 * wording of the catalog find a Traditional paste (Taiwan's and Hong Kong's NDRs, Q&A and help pages).
 * One character for one, all in the CJK Unified block: spans and offsets are unchanged.
 */
const TRADITIONAL_PAIRS = [
  '郵邮無无錯错誤误務务傳传遞递達达滿满過过額额絕绝連连線线時时驗验證证帳帐戶户號号碼码網网稱称設设選选擇择應应協协議议資资訊讯電电腦脑請请後后試试暫暂發发給给對对於于從从這这個个們们來来為为與与開开關关閉闭啟启動动認认實实際际經经轉转換换區区',
  '進进點点數数據据庫库執执權权許许擋挡鎖锁單单報报遲迟佇伫隊队複复復复嘗尝敗败響响問问題题處处錄录記记誌志測测雜杂擴扩憑凭書书簽签屬属組组織织團团體体內内國国總总統统計计頁页載载輸输終终節节結结構构態态狀状況况續续現现顯显標标準准確确讀读寫写',
  '刪删舊旧檔档種种類类遠远聯联繫系係系絡络辦办觸触規规則则條条備备機机義义鏈链級级別别層层細细詳详盡尽檢检視视圖图讓让幫帮須须說说語语簡简產产專专業业營营運运維维護护鑰钥異异斷断攔拦濾滤篩筛濫滥廣广頻频閾阈臨临萬万見见觀观餘余夠够間间閒闲離离',
  '瀏浏覽览週周會会曆历歷历預预約约參参夾夹壓压擁拥擠挤負负樣样帶带寬宽緩缓衝冲儲储紀纪驅驱裝装剛刚還还沒没聽听嗎吗麼么將将並并當当該该裡里裏里隨随鍵键錢钱價价質质費费購购買买賣卖貨货寶宝賬账註注冊册審审範范圍围僅仅儘尽優优劃划創创勞劳勢势匯汇',
  '卻却雙双變变嚴严壞坏學学寧宁導导屆届幣币師师廠厂廢废張张強强彈弹歸归徑径徵征慣惯慮虑憂忧懷怀戰战掃扫掛挂採采揮挥損损擊击擔担擬拟擺摆攝摄晝昼曉晓東东極极樂乐樓楼橫横櫃柜歡欢歲岁殘残殺杀氣气決决溝沟湧涌滅灭滾滚滯滞潔洁潛潜灣湾烏乌煙烟熱热爭争',
  '爾尔獎奖獨独獲获環环盜盗監监盤盘眾众礙碍禮礼穩稳窮穷競竞筆笔築筑籃篮糧粮糾纠紅红納纳紙纸紛纷絲丝綁绑綜综緒绪締缔編编緣缘緊紧練练縮缩績绩繪绘繼继罰罚習习聞闻聲声職职脫脱興兴舉举蓋盖薦荐藍蓝虧亏衛卫補补製制覺觉訂订討讨訓训訴诉診诊詞词詢询誰谁',
  '課课調调談谈論论諮咨謂谓講讲謝谢識识譯译豐丰貝贝財财責责貴贵貼贴賦赋贊赞趕赶趨趋跡迹蹤踪車车軟软軸轴較较輕轻輔辅農农遊游違违遙遥適适遷迁遺遗邊边邏逻鄉乡醫医針针鈕钮銀银銷销鋪铺鏡镜長长門门閃闪閘闸閱阅闆板陣阵陳陈陸陆陰阴階阶險险隱隐雖虽雞鸡',
  '難难頂顶項项順顺頓顿領领頭头顏颜願愿顧顾風风飛飞館馆馬马驚惊髮发鬆松黨党齊齐龍龙員员場场塊块壽寿夢梦夥伙孫孙尋寻幾几廳厅彙汇徹彻恆恒惡恶惱恼懶懒懸悬搶抢撥拨擾扰攜携敘叙暢畅棄弃榮荣樹树橋桥欄栏歐欧毀毁淨净淺浅減减溫温漢汉漲涨漸渐潤润潰溃澤泽',
  '濃浓濕湿濟济灑洒燈灯燒烧爐炉獻献畢毕畫画疊叠療疗礦矿礎础禍祸稅税穀谷竊窃籌筹紋纹純纯紹绍綠绿綱纲縣县縫缝縱纵繞绕繩绳繳缴纏缠羅罗聰聪聳耸肅肃脅胁膚肤臉脸臟脏艦舰藝艺藥药蘇苏蘭兰虛虚蟲虫術术襲袭覓觅訪访訟讼詐诈詩诗話话誇夸誠诚誼谊諒谅諾诺謀谋',
  '謎谜謙谦謹谨譜谱譽誉讚赞豬猪貓猫貢贡貧贫販贩貪贪貫贯貯贮貶贬貸贷貿贸賀贺賃赁賄贿賓宾賜赐賞赏賠赔賢贤賤贱賭赌賴赖賽赛贈赠贏赢踐践躍跃軌轨軍军輛辆輝辉輩辈輪轮輯辑轄辖轟轰辭辞鄰邻醬酱釋释鈍钝鈴铃鉛铅銅铜銳锐鋁铝鋼钢錦锦鍋锅鎮镇鐘钟鐵铁鑄铸鑑鉴',
  '闊阔闖闯闡阐陽阳隸隶隻只雲云霧雾靈灵靜静韓韩頑顽頒颁頸颈顆颗飄飘飯饭飲饮飽饱飾饰養养餓饿駐驻駕驾騎骑騙骗騰腾驛驿鬧闹鮮鲜鳴鸣麥麦黃黄齒齿龜龟佈布併并証证颱台臺台兩两兒儿億亿偵侦傷伤債债側侧劇剧勁劲殼壳聖圣竄窜窩窝瀝沥懇恳憐怜憲宪廂厢廈厦廚厨',
  '廟庙衹只籤签蓮莲盧卢噸吨嘆叹喚唤啞哑園园圓圆堅坚塗涂塵尘墊垫壯壮奧奥妝妆嬰婴寵宠峽峡嶺岭巖岩幟帜廁厕彥彦惲恽慘惨慚惭懲惩戀恋拋抛挾挟捨舍掙挣揀拣摯挚撐撑撫抚攤摊攪搅斂敛斬斩暈晕朧胧柵栅棟栋楓枫槓杠樞枢樸朴橢椭櫥橱氫氢沖冲洩泄淚泪渙涣湯汤滄沧',
  '滬沪漁渔潑泼澀涩澆浇濤涛濱滨瀉泻瀟潇灘滩烴烃煉炼煩烦燙烫燦灿爺爷犧牺猶犹獄狱獅狮獵猎獸兽瑣琐甕瓮畝亩癢痒睜睁矯矫祿禄禪禅禱祷竅窍箋笺簾帘籠笼粵粤糞粪紮扎紳绅絆绊絹绢綴缀綿绵緬缅緯纬罈坛罵骂翹翘脈脉腎肾腫肿腸肠膠胶膩腻膽胆艱艰豔艳莊庄莖茎華华',
  '葉叶蒼苍蔔卜蔣蒋蔥葱蔭荫蕭萧薑姜薩萨蘋苹蠟蜡蠶蚕蠻蛮褲裤襪袜訝讶詠咏誕诞誦诵諜谍諸诸謊谎謠谣譚谭豎竖軀躯軒轩轎轿逕迳遼辽邁迈鄭郑醜丑釣钓鈔钞鉅钜銘铭鋒锋錐锥錫锡鍊炼鍾钟鎊镑鑒鉴閏闰閣阁閥阀雋隽雛雏頗颇顛颠飢饥餅饼饅馒馭驭駁驳駛驶驕骄魯鲁鯨鲸',
  '鳳凤鴨鸭鴻鸿鵝鹅鷹鹰鹽盐齡龄剎刹勝胜勵励厲厉叢丛吳吴喪丧奪夺奮奋婦妇媽妈岡冈島岛崗岗帥帅幹干慶庆戲戏搖摇敵敌槍枪滲渗牆墙睏困禦御緝缉罷罢腳脚艙舱諧谐謬谬譴谴讒谗贓赃趙赵蹺跷軋轧轍辙迴回遜逊鈞钧鉤钩鋸锯錨锚鍍镀鎂镁鏟铲鐳镭閩闽闈闱隴陇韋韦頌颂',
  '頰颊顎颚颳刮饒饶騷骚驟骤鬥斗鯉鲤鶴鹤麗丽黴霉鼕冬齋斋嚮向檯台蘊蕴麵面鹼碱蘆芦壩坝矚瞩籬篱釐厘鬍胡',
].join('');

const FOLD_FROM = 0x4e00;
const FOLD_TO = 0x9fff;
/** Code unit - FOLD_FROM -> its Simplified form (0: unchanged); built on first use. */
let foldTable: Uint16Array | undefined;

function foldTableOf(): Uint16Array {
  if (foldTable) return foldTable;
  const t = new Uint16Array(FOLD_TO - FOLD_FROM + 1);
  for (let i = 0; i + 1 < TRADITIONAL_PAIRS.length; i += 2) t[TRADITIONAL_PAIRS.charCodeAt(i) - FOLD_FROM] = TRADITIONAL_PAIRS.charCodeAt(i + 1);
  foldTable = t;
  return t;
}

/** A code unit with a Traditional Chinese character folded to its Simplified form (any other unit as it is). */
export function foldCjkCode(c: number): number {
  if (c < FOLD_FROM || c > FOLD_TO) return c;
  const s = foldTableOf()[c - FOLD_FROM] as number;
  return s === 0 ? c : s;
}

/**
 * Words Taiwan's and Hong Kong's mail wording uses where the Mainland's (and the catalog's) has another
 * of the same length, as pairs (folded form, Mainland form): 寄件者 发件人 (sender), 收件者 收件人, 信箱
 * 邮箱 (mailbox), 伺服器 服务器 (server), 連線 连接 (connection), 逾時 超时 (timed out), 網域 域名
 * (domain), 傳送 发送 (send), 存取 访问 (access), 位址 地址, 原則 策略 (policy), 憑證 证书 (certificate),
 * 封鎖 阻止 (block), 停用 禁用 (disable), 設定 设置 (set up), 佇列 队列 (queue), 外寄 出站 (outbound),
 * 相容 兼容 (compatible), 支援 支持 (support), 復原 恢复 (recover), 專案 项目 (item), 資訊 信息, 寄送 发送.
 * Same length, so offsets hold.
 */
const REGIONAL_WORDS: ReadonlyArray<readonly [string, string]> = [
  ['寄件者', '发件人'], ['寄件人', '发件人'], ['收件者', '收件人'], ['信件', '邮件'], ['信箱', '邮箱'], ['伺服器', '服务器'],
  ['用户端', '客户端'], ['连线', '连接'], ['逾时', '超时'], ['网域', '域名'], ['传送', '发送'], ['存取', '访问'], ['位址', '地址'],
  ['原则', '策略'], ['凭证', '证书'], ['封锁', '阻止'], ['停用', '禁用'], ['设定', '设置'], ['伫列', '队列'], ['外寄', '出站'],
  ['内送', '入站'], ['网路', '网络'], ['登入', '登录'], ['预设', '默认'], ['资料夹', '文件夹'], ['讯息', '消息'], ['档案', '文件'],
  ['相容', '兼容'], ['支援', '支持'], ['复原', '恢复'], ['专案', '项目'], ['资讯', '信息'], ['寄送', '发送'],
];

/** REGIONAL_WORDS by their first code unit. */
let regionalByUnit: Map<number, Array<readonly [string, string]>> | undefined;

/** Which Han characters start a regional word (indexed from FOLD_FROM): most characters are passed over without a map lookup. */
let regionalStarts: Uint8Array | undefined;

function regionalOf(): Map<number, Array<readonly [string, string]>> {
  if (regionalByUnit) return regionalByUnit;
  const m = new Map<number, Array<readonly [string, string]>>();
  regionalStarts = new Uint8Array(FOLD_TO - FOLD_FROM + 1);
  for (const pair of REGIONAL_WORDS) {
    const c = pair[0].charCodeAt(0);
    regionalStarts[c - FOLD_FROM] = 1;
    const list = m.get(c);
    if (list) list.push(pair);
    else m.set(c, [pair]);
  }
  regionalByUnit = m;
  return m;
}

/** Per Han character (from FOLD_FROM): 1 folds to another, 2 starts a regional word (either bit: the slow path). */
let foldFlags: Uint8Array | undefined;

function foldFlagsOf(): Uint8Array {
  if (foldFlags) return foldFlags;
  const flags = new Uint8Array(FOLD_TO - FOLD_FROM + 1);
  const table = foldTableOf();
  for (let k = 0; k < flags.length; k++) if (table[k] !== 0 && table[k] !== k + FOLD_FROM) flags[k] = 1;
  regionalOf();
  const starts = regionalStarts as Uint8Array;
  for (let k = 0; k < flags.length; k++) if (starts[k] !== 0) flags[k] = (flags[k] as number) | 2;
  foldFlags = flags;
  return flags;
}

/** The last text folded and its fold: one paste's readers fold the same text several times. */
let lastIn = '';
let lastOut = '';

/**
 * The text with its Traditional Chinese characters folded to Simplified and Taiwan's words to the
 * Mainland's (REGIONAL_WORDS); the same string when it has neither (one look at each character
 * then, nothing allocated). Linear; the length is unchanged.
 */
export function foldTraditional(text: string): string {
  const flags = foldFlagsOf();
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= FOLD_FROM && c <= FOLD_TO && flags[c - FOLD_FROM] !== 0) {
      first = i;
      break;
    }
  }
  // Nothing to fold (every English paste, and most Simplified text).
  if (first < 0) return text;
  if (text === lastIn) return lastOut;
  let units: number[] | undefined;
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < FOLD_FROM || c > FOLD_TO || ((flags[c - FOLD_FROM] as number) & 1) === 0) continue;
    if (!units) {
      units = new Array<number>(text.length);
      for (let k = 0; k < text.length; k++) units[k] = text.charCodeAt(k);
    }
    units[i] = foldCjkCode(c);
  }
  const folded = units ? unitsToString(units) : text;
  // Regional words, looked for by their first unit (a handful of comparisons at a CJK character that starts one).
  const regional = regionalOf();
  let parts: string[] | undefined;
  let from = 0;
  for (let i = first; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (c < FOLD_FROM || c > FOLD_TO || ((flags[c - FOLD_FROM] as number) & 2) === 0) continue;
    const list = regional.get(c);
    if (!list) continue;
    for (const [tw, cn] of list) {
      if (!folded.startsWith(tw, i)) continue;
      (parts ??= []).push(folded.slice(from, i), cn);
      from = i + tw.length;
      i = from - 1;
      break;
    }
  }
  let out = folded;
  if (parts) {
    parts.push(folded.slice(from));
    out = parts.join('');
  }
  lastIn = text;
  lastOut = out;
  return out;
}

/** Code units to a string, in chunks (no argument list too long for a long text). */
function unitsToString(units: number[]): string {
  let s = '';
  for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.slice(i, i + 4096));
  return s;
}

/** Whether a phrase is CJK text (it holds a CJK character): such a phrase is matched as a substring. */
export function isCjkPhrase(phrase: string): boolean {
  for (let i = 0; i < phrase.length; i++) if (isCjkCode(phrase.charCodeAt(i))) return true;
  return false;
}

/** The phrase as it is looked for: its word characters lowercased, run together (the scan skips the gaps between words), Traditional folded to Simplified. */
export function cjkKey(phrase: string): string {
  let out = '';
  for (const w of splitWords(phrase)) out += w.text;
  return foldTraditional(out);
}

/** A CjkPhraseIndex's phrases (CjkPhraseIndex.state()). */
export interface CjkPhraseState {
  keys: string[];
  ids: Int32Array;
}

export class CjkPhraseIndex {
  private readonly patterns: Array<{ key: string; id: number }> = [];
  private readonly ids = new Set<number>();
  private readonly next = new Map<number, number>();
  private fail = new Int32Array(1);
  /** Code unit -> 1 when some phrase holds it (a unit none holds has no transition from any state: back to the root). */
  private used = new Uint8Array(0);
  /** State -> condition ids ending there (its own and, through failure links, its suffixes'). */
  private out: Array<number[] | undefined> = [];
  private built = false;
  /**
   * The transitions as an open-addressing table in typed arrays (the scan's look-up per CJK character):
   * slot -> from-state (-1: empty), code unit, to-state. Built from `next` once.
   */
  private gotoFrom = new Int32Array(0);
  private gotoUnit = new Int32Array(0);
  private gotoTo = new Int32Array(0);
  private gotoMask = 0;
  /** Condition id -> its key's length (where a found phrase starts in its word: hypothetical()). */
  private readonly keyLength = new Map<number, number>();

  get size(): number {
    return this.patterns.length;
  }

  add(phrase: string, id: number): void {
    const key = cjkKey(phrase);
    if (key.length === 0 || this.ids.has(id)) return;
    this.ids.add(id);
    this.patterns.push({ key, id });
    this.built = false;
  }

  /** The phrases as data (the automaton is built on the first CJK paste, restored or not). */
  state(): CjkPhraseState {
    return { keys: this.patterns.map((p) => p.key), ids: Int32Array.from(this.patterns, (p) => p.id) };
  }

  /** In place of add(). */
  restore(s: CjkPhraseState): boolean {
    if (this.patterns.length !== 0 || s.keys.length !== s.ids.length) return false;
    for (let k = 0; k < s.ids.length; k++) {
      const id = s.ids[k] as number;
      this.ids.add(id);
      this.patterns.push({ key: s.keys[k] as string, id });
    }
    this.built = false;
    return true;
  }

  private build(): void {
    this.next.clear();
    this.used = new Uint8Array(65536);
    for (const { key, id } of this.patterns) {
      for (let i = 0; i < key.length; i++) this.used[key.charCodeAt(i)] = 1;
      this.keyLength.set(id, key.length);
    }
    const out: Array<number[] | undefined> = [undefined];
    let states = 1;
    for (const { key, id } of this.patterns) {
      let s = 0;
      for (let i = 0; i < key.length; i++) {
        const k = s * 65536 + key.charCodeAt(i);
        let t = this.next.get(k);
        if (t === undefined) {
          t = states++;
          this.next.set(k, t);
          out.push(undefined);
        }
        s = t;
      }
      (out[s] ??= []).push(id);
    }
    // Failure links breadth first: children of each state, found by scanning the transition map once.
    const children: number[][] = Array.from({ length: states }, () => []);
    const labels = new Int32Array(states);
    for (const [k, t] of this.next) {
      children[Math.floor(k / 65536)]?.push(t);
      labels[t] = k % 65536;
    }
    const fail = new Int32Array(states);
    const queue: number[] = [...(children[0] ?? [])];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q] as number;
      for (const t of children[s] ?? []) {
        const c = labels[t] as number;
        let f = fail[s] as number;
        let to = this.next.get(f * 65536 + c);
        while (to === undefined && f !== 0) {
          f = fail[f] as number;
          to = this.next.get(f * 65536 + c);
        }
        fail[t] = to !== undefined && to !== t ? to : 0;
        const inherited = out[fail[t] as number];
        if (inherited) out[t] = [...(out[t] ?? []), ...inherited];
        queue.push(t);
      }
    }
    this.fail = fail;
    this.out = out;
    let slots = 16;
    while (slots < this.next.size * 2) slots *= 2;
    this.gotoFrom = new Int32Array(slots).fill(-1);
    this.gotoUnit = new Int32Array(slots);
    this.gotoTo = new Int32Array(slots);
    this.gotoMask = slots - 1;
    for (const [k, t] of this.next) {
      const from = Math.floor(k / 65536);
      const unit = k % 65536;
      let slot = gotoHash(from, unit) & this.gotoMask;
      while ((this.gotoFrom[slot] as number) >= 0) slot = (slot + 1) & this.gotoMask;
      this.gotoFrom[slot] = from;
      this.gotoUnit[slot] = unit;
      this.gotoTo[slot] = t;
    }
    this.built = true;
  }

  /** The state after `from` on code unit c, or -1 when it has no such transition. */
  private step(from: number, c: number): number {
    const mask = this.gotoMask;
    const fromOf = this.gotoFrom;
    for (let slot = gotoHash(from, c) & mask; ; slot = (slot + 1) & mask) {
      const f = fromOf[slot] as number;
      if (f < 0) return -1;
      if (f === from && this.gotoUnit[slot] === c) return this.gotoTo[slot] as number;
    }
  }

  /**
   * Marks each CJK phrase found in the paste with the span of its words. Runs only on a paste with CJK
   * text; its words are read as one stream in which a one-character gap (a space: Japanese puts them
   * between katakana words, "メッセージ サイズ", and around Latin names, "Microsoft Exchange への") is
   * skipped and a longer gap starts afresh.
   */
  scan(words: WordBuf, found: Found): void {
    if (this.patterns.length === 0 || !hasCjkWord(words)) return;
    if (!this.built) this.build();
    const fail = this.fail;
    const out = this.out;
    const used = this.used;
    const flags = foldFlagsOf();
    let budget = MAX_CHARS;
    let s = 0;
    /** The word where the current stream began (a phrase's span starts there at the earliest). */
    let streamStart = 0;
    for (let i = 0; i < words.n && budget > 0; i++) {
      if (i > 0 && (words.start[i] as number) - (words.end[i - 1] as number) > 1) {
        s = 0;
        streamStart = i;
      }
      const len = Math.min(words.length(i), budget);
      budget -= len;
      // The word as the phrases are keyed: Traditional characters and Taiwan's words folded (same length).
      // A word with nothing to fold is read where it is (no string cut out).
      let word = words.slow ? (words.slow[i] as string) : words.src;
      let base = words.slow ? 0 : (words.start[i] as number);
      const wordLen = words.length(i);
      for (let k = 0; k < wordLen; k++) {
        const c = word.charCodeAt(base + k);
        if (c >= FOLD_FROM && c <= FOLD_TO && flags[c - FOLD_FROM] !== 0) {
          word = foldTraditional(words.text(i));
          base = 0;
          break;
        }
      }
      for (let k = 0; k < len; k++) {
        const c = word.charCodeAt(base + k);
        if (used[c] === 0) {
          // No phrase holds this character: the failure walk would end at the root, where nothing ends.
          s = 0;
          continue;
        }
        let t = this.step(s, c);
        while (t < 0 && s !== 0) {
          s = fail[s] as number;
          t = this.step(s, c);
        }
        s = t < 0 ? 0 : t;
        const done = out[s];
        if (done) {
          for (const id of done) {
            if (found.has(id) || hypothetical(base === 0 && word.length === wordLen ? word : word.slice(base, base + wordLen), k + 1 - (this.keyLength.get(id) ?? 0))) continue;
            found.set(id, words.start[streamStart] as number, words.end[i] as number);
          }
        }
      }
    }
  }
}

/**
 * Chinese (and Japanese) words that make what follows an example or a supposition, not a report: "比如收件人
 * 邮箱已满、服务器暂时不可用" (for instance the mailbox is full …), "如果邮箱已满" (if the mailbox is full). A phrase found
 * right after one (HYPOTHETICAL_REACH characters, in the same run of CJK text) is no evidence.
 */
const HYPOTHETICAL = ['比如', '例如', '譬如', '诸如', '如果', '假如', '例えば', 'たとえば'];
const HYPOTHETICAL_REACH = 6;

/** Whether the phrase that starts at `at` in the (folded) word follows a word of HYPOTHETICAL; bounded by the reach. */
function hypothetical(word: string, at: number): boolean {
  if (at <= 0) return false;
  const before = word.slice(Math.max(0, at - HYPOTHETICAL_REACH), at);
  for (const h of HYPOTHETICAL) if (before.includes(h)) return true;
  return false;
}

/** The goto table's hash of (state, code unit). */
function gotoHash(from: number, c: number): number {
  return (Math.imul(from, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77)) >>> 7;
}

/** Whether a word of the paste starts or ends with CJK text (a word with CJK inside nearly always does). */
function hasCjkWord(words: WordBuf): boolean {
  if (!words.wide) return false;
  for (let i = 0; i < words.n; i++) {
    if (isCjkCode(words.code(i, 0)) || isCjkCode(words.code(i, words.length(i) - 1))) return true;
  }
  return false;
}
