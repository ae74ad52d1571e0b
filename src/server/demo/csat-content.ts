/**
 * The demo's ratings (zh-CN): what the shoppers of the resolved conversations and solved tickets
 * answered, a few minutes after they were asked. Keyed by the conversation's customer and by the
 * ticket's subject in content.ts. Scores and comments as real shoppers leave them: mostly content,
 * one unhappy about the carrier, one mixed.
 */
export type DemoRating = { score: number; comment: string; solved?: boolean; afterMinutes: number };

export const demoConversationRatings: Record<string, DemoRating> = {
  chen: { score: 5, comment: '小雨回复很快，换货流程讲得很清楚，点赞！', solved: true, afterMinutes: 3 },
  zhao: { score: 4, comment: '问题解决了，就是前面排队等了一会儿。', solved: true, afterMinutes: 6 },
  xu: { score: 5, comment: '耐心帮我查了物流，还主动给我补发了赠品，很贴心。', solved: true, afterMinutes: 2 },
  ma: { score: 3, comment: '客服态度不错，但退货要自己寄回，有点麻烦。', solved: false, afterMinutes: 12 },
};

export const demoTicketRatings: Record<string, DemoRating> = {
  退款进度查询: { score: 4, comment: '退款已经到账了，谢谢跟进。', solved: true, afterMinutes: 20 },
  蓝牙耳机右耳无声: {
    score: 2,
    comment: '换新等了五天，快递太慢了，希望以后能快一点。',
    solved: true,
    afterMinutes: 45,
  },
  '空气炸锅 7 天无理由退货': { score: 5, comment: '', solved: true, afterMinutes: 8 },
};
